#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The loop of `walt node console` once its log stream is requested (upstream's
/// `console_loop`): console records from the `REQ_DUMP_LOGS` stream are written raw to
/// `output`, keys read from `input` go through `ConsoleKeys` to `send` (the RPC call
/// `vnode_console_input`).
///
/// A record's `line` is the Python repr of a bytes chunk (`b'...'`); upstream `eval`s it,
/// we parse it as a literal. The sequences that would reset or clear the user's terminal
/// (`ESC c`, `ESC [2J`) are taken out, as upstream does.
struct ConsoleRelay {
    enum Outcome: Equatable {
        /// The stream ended, stdin ended, or the user typed `<ctrl-a> <d>`.
        case ended
        /// A watched signal arrived.
        case signaled(Int32)
        /// A keystroke could not be delivered.
        case failed(ClientError)
    }

    let connection: StreamConnection
    let input: Int32
    let output: Int32
    let send: ([UInt8]) throws(ClientError) -> Void

    static let chunkSize = 4096

    func run(signals: SignalPipe) -> Outcome {
        var framer = RPCFramer()
        framer.switchMode(to: .pickle4)
        var keys = ConsoleKeys()
        while true {
            var fds = [
                pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: input, events: Int16(POLLIN), revents: 0),
            ]
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                return .ended
            }
            if fds[1].revents != 0, let signal = signals.take().first { return .signaled(signal) }
            if fds[0].revents != 0 {
                guard let bytes = connection.receive(maximum: 65536) else { return .ended }
                framer.feed(bytes)
                guard show(&framer) else { return .ended }
            }
            if fds[2].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard count > 0 else { return .ended }   // stdin closed
                switch keys.received(Array(buffer[..<count])) {
                case .disconnect: return .ended
                case .nothing: break
                case .send(let keystrokes):
                    do { try send(keystrokes) } catch { return .failed(error) }
                }
            }
        }
    }

    /// Writes the chunks of the complete records; false when the stream is not a record
    /// stream (upstream's `read_log_record` returning None ends the loop).
    private func show(_ framer: inout RPCFramer) -> Bool {
        do {
            while let record = try framer.nextValue() {
                guard let chunk = Self.chunk(of: record) else { continue }
                let visible = Self.filtered(chunk)
                let failed = visible.withUnsafeBytes { WriteAll.write(output, $0) } != 0
                if failed { return false }
            }
            return true
        } catch {
            return false
        }
    }

    /// The bytes a record's `line` spells as a Python bytes literal; nil for anything else.
    static func chunk(of record: PyValue) -> [UInt8]? {
        guard let line = record["line"]?.stringValue,
              case .bytes(let bytes)? = try? PythonLiteralParser.parse(line) else { return nil }
        return bytes
    }

    /// `re.sub(rb"\x1b(c|\[2J)", b"", chunk)`.
    static func filtered(_ chunk: [UInt8]) -> [UInt8] {
        let reset: [UInt8] = [0x1b, UInt8(ascii: "c")]
        let clear: [UInt8] = [0x1b, UInt8(ascii: "["), UInt8(ascii: "2"), UInt8(ascii: "J")]
        var out: [UInt8] = []
        out.reserveCapacity(chunk.count)
        var index = chunk.startIndex
        while index < chunk.endIndex {
            let rest = chunk[index...]
            if rest.starts(with: reset) {
                index += reset.count
            } else if rest.starts(with: clear) {
                index += clear.count
            } else {
                out.append(chunk[index])
                index += 1
            }
        }
        return out
    }
}
