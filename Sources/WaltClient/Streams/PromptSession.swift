#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The relay of an interactive request once its parameters are sent (upstream's
/// `PromptClient.run`): server bytes are copied to `output` as they come; `input` goes to
/// the server raw, or, in tty mode, as pickled `input_data` events, with a `window_resize`
/// event on each SIGWINCH. End of input half-closes the socket and the relay goes on until
/// the server closes.
///
/// Sends never block: what the socket cannot take yet waits in a buffer while server output
/// keeps flowing, so a command that echoes a large stdin back cannot deadlock us.
/// In tty mode the terminal is raw for the whole relay and put back however it ends: the
/// server closing, the connection dropping, or a signal (SIGINT, SIGTERM, SIGHUP), which
/// is reported to the caller once the terminal is restored.
struct PromptSession {
    enum Outcome: Equatable {
        /// The server closed the stream (or the connection broke).
        case ended
        /// One of the watched signals arrived; the terminal is already restored.
        case signaled(Int32)
    }

    let connection: StreamConnection
    let input: Int32
    let output: Int32
    /// Set in tty mode.
    let terminal: RawTerminal?

    static let chunkSize = 4096
    /// Input is not read while this much waits for the socket.
    static let outboundLimit = 1 << 16

    func run() -> Outcome {
        let signals = SignalPipe((terminal == nil ? [] : [SIGWINCH]) + [SIGINT, SIGTERM, SIGHUP])
        terminal?.makeRaw()
        defer {
            terminal?.restore()
            signals.restore()
        }
        let early = connection.takePending()
        if !early.isEmpty && !write(early) { return .ended }
        var outbound: [UInt8] = []
        var inputOpen = true
        var halfClosed = false
        while true {
            let readInput = inputOpen && outbound.count < Self.outboundLimit
            var fds = [
                pollfd(fd: connection.fd, events: Int16(POLLIN) | (outbound.isEmpty ? 0 : Int16(POLLOUT)), revents: 0),
                pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: readInput ? input : -1, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                return .ended
            }
            if fds[1].revents != 0 {
                for signal in signals.take() {
                    guard signal == SIGWINCH else { return .signaled(signal) }
                    outbound += resizeEvent()
                }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                guard let bytes = connection.receive(maximum: Self.chunkSize), write(bytes) else { return .ended }
            }
            if fds[2].revents != 0 {
                switch readChunk() {
                case .data(let bytes):
                    outbound += terminal == nil ? bytes : PickleEncoder.encode(PtyEvent.inputData(bytes).value)
                case .end:
                    inputOpen = false
                case .retry:
                    break
                }
            }
            if !outbound.isEmpty {
                guard case .sent(let count) = connection.sendSome(outbound[...]) else { return .ended }
                outbound.removeFirst(count)
            }
            if !inputOpen && outbound.isEmpty && !halfClosed {
                connection.shutdownWrite()
                halfClosed = true
            }
        }
    }

    private enum InputRead {
        case data([UInt8])
        case end
        case retry
    }

    private func readChunk() -> InputRead {
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if count > 0 { return .data(Array(buffer[..<count])) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return .retry }
        return .end   // EOF, or a terminal that went away (EIO)
    }

    /// Upstream's `resize_handler`: the new size of the terminal, read from it.
    private func resizeEvent() -> [UInt8] {
        guard let terminal else { return [] }
        let size = terminal.windowSize ?? winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        return PickleEncoder.encode(PtyEvent.windowResize(lines: Int(size.ws_row), columns: Int(size.ws_col)).value)
    }

    /// Writes all of `bytes`, waiting for room when the output was left non-blocking by
    /// another program sharing the terminal.
    private func write(_ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        while !rest.isEmpty {
            let count = rest.withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
            if count > 0 {
                rest = rest.dropFirst(count)
            } else if count < 0 && (errno == EAGAIN || errno == EINTR) {
                var poller = pollfd(fd: output, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, 100)
            } else {
                return false
            }
        }
        return true
    }
}
