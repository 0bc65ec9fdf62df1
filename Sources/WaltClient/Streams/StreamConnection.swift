#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// One connection to the server's stream port (12347), over a blocking socket: the request
/// id line, then whatever the request speaks (a `READY` or status line, pickled parameters,
/// raw bytes both ways).
final class StreamConnection {
    /// Where streams are opened: the server's address and port 12347 (tests bind their own).
    struct Endpoint: Sendable, Equatable {
        let host: String
        let port: Int

        init(host: String, port: Int = WaltPorts.streams) {
            self.host = host
            self.port = port
        }
    }

    private let socket: BlockingSocket
    /// Bytes read past the end of a line, handed out before anything else.
    private var pending: [UInt8] = []

    /// Connects and sends the request id (`"4\n"`).
    init(_ endpoint: Endpoint, request: StreamRequest) throws(ClientError) {
        do {
            socket = try BlockingSocket(host: endpoint.host, port: endpoint.port, timeoutMilliseconds: 10_000)
            try socket.send(request.requestLine)
        } catch {
            throw Self.networkError(error)
        }
    }

    /// Upstream's message for a stream that cannot be opened.
    static func networkError(_ error: BlockingSocket.Failure) -> ClientError {
        ClientError(verbatim: "Network connection to WalT server failed! (\(error.description))")
    }

    var fd: Int32 { socket.fd }

    /// One line without its `\n` (upstream's `readline()`); what came before EOF when the
    /// server closed first, nil when nothing came at all.
    func readLine() -> [UInt8]? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard let chunk = try? socket.receive(), !chunk.isEmpty else {
                defer { pending = [] }
                return pending.isEmpty ? nil : pending
            }
            pending += chunk
        }
    }

    /// Sends all of `bytes`; false when the connection is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        (try? socket.send(bytes)) != nil
    }

    /// Sends one pickle (protocol 4, as upstream's `write_pickle`).
    @discardableResult
    func sendPickle(_ value: PyValue) -> Bool {
        send(PickleEncoder.encode(value))
    }

    /// What is available (blocking until something is): bytes left over from a line first;
    /// nil at EOF or on a connection error.
    func receive(maximum: Int = 65536) -> [UInt8]? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        guard let chunk = try? socket.receive(maximum: maximum), !chunk.isEmpty else { return nil }
        return chunk
    }

    /// True when bytes from an earlier line read wait in memory (poll() cannot see them).
    var hasPendingBytes: Bool { !pending.isEmpty }

    /// The bytes read past the last line, for a relay to forward first.
    func takePending() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    /// What a non-blocking send did.
    enum SendResult: Equatable {
        /// This many bytes left (0: the socket is full for now).
        case sent(Int)
        /// The connection is gone, with the errno.
        case failed(Int32)
    }

    /// Sends what fits now without blocking.
    func sendSome(_ bytes: ArraySlice<UInt8>) -> SendResult {
        Self.sendSome(fd, bytes)
    }

    /// `sendSome` on any socket descriptor (MSG_NOSIGNAL: a peer gone is an error, not SIGPIPE).
    static func sendSome(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> SendResult {
        guard !bytes.isEmpty else { return .sent(0) }
        while true {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
            if sent >= 0 { return .sent(sent) }
            let code = errno
            if code == EINTR { continue }
            return code == EAGAIN || code == EWOULDBLOCK ? .sent(0) : .failed(code)
        }
    }

    /// Tells the server our side is done (stdin ended, the tar is complete); its side stays open.
    func shutdownWrite() {
        _ = Glibc.shutdown(socket.fd, Int32(SHUT_WR))
    }

    /// Waits up to `milliseconds` for bytes or EOF.
    func waitReadable(milliseconds: Int32) -> Bool {
        hasPendingBytes || socket.waitReadable(milliseconds: milliseconds)
    }
}
