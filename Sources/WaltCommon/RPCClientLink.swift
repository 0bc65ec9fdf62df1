/// The client end of a port-12345 session over a blocking socket: `10\n<API>\n`, the
/// server's version line, `SET_MODE pickle4`, then calls whose server-to-client callbacks
/// are answered by the caller's handler until the RESULT arrives.
public final class RPCClientLink {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Answers one callback (`path`, args) from the server.
    public typealias CallbackHandler = (String, [PyValue]) -> PyValue

    private let socket: BlockingSocket
    private var decoder = PickleDecoder()
    /// What the server announced, e.g. `10.0`.
    public let remoteVersion: String

    public init(host: String, port: Int = WaltPorts.rpc, api: String, connectTimeoutMilliseconds: Int32 = 10_000) throws(Failure) {
        do {
            socket = try BlockingSocket(host: host, port: port, timeoutMilliseconds: connectTimeoutMilliseconds)
            try socket.send(Array("10\n\(api)\n".utf8))
        } catch {
            throw Failure(error.description)
        }
        var line: [UInt8] = []
        while true {
            let chunk: [UInt8]
            do { chunk = try socket.receive(maximum: 1) } catch { throw Failure(error.description) }
            guard let byte = chunk.first else { throw Failure("the server closed the connection during the handshake") }
            if byte == UInt8(ascii: "\n") { break }
            line.append(byte)
            guard line.count < 256 else { throw Failure("the server's version line is too long") }
        }
        remoteVersion = String(decoding: line, as: UTF8.self).trimmingWhitespace()
        do {
            try socket.send(Array("('SET_MODE', 'pickle4')\n".utf8))
        } catch {
            throw Failure(error.description)
        }
    }

    /// Calls `method` and returns its result, answering callbacks on the way.
    public func call(_ method: String, _ args: [PyValue], kwargs: [(key: PyValue, value: PyValue)] = [],
                     callbacks: CallbackHandler = { _, _ in .none }) throws(Failure) -> PyValue {
        try send(.tuple([.str("API_CALL"), .str(method), .tuple(args), .dict(kwargs)]))
        while true {
            let message = try receiveMessage()
            guard let items = message.sequenceItems, case .str(let tag)? = items.first else {
                throw Failure("unexpected message from the server")
            }
            switch (tag, items.count) {
            case ("RESULT", 2):
                return items[1]
            case ("API_CALL", 4):
                guard case .str(let path) = items[1], let callArgs = items[2].sequenceItems else {
                    throw Failure("malformed callback from the server")
                }
                try send(.tuple([.str("RESULT"), callbacks(path, callArgs)]))
            case ("EXCEPTION", 2):
                throw Failure("unexpected server-side issue: \(items[1].stringValue ?? "?")")
            default:
                throw Failure("unexpected \(tag) message from the server")
            }
        }
    }

    private func send(_ value: PyValue) throws(Failure) {
        do { try socket.send(PickleEncoder.encode(value)) } catch { throw Failure(error.description) }
    }

    private func receiveMessage() throws(Failure) -> PyValue {
        while true {
            do {
                if let value = try decoder.next() { return value }
            } catch {
                throw Failure("bad message from the server: \(error)")
            }
            let chunk: [UInt8]
            do { chunk = try socket.receive() } catch { throw Failure(error.description) }
            guard !chunk.isEmpty else { throw Failure("the server closed the connection") }
            decoder.feed(chunk)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
