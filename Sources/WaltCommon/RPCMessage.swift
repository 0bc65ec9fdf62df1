/// One message of WalT's RPC link (port 12345), as the tuples upstream exchanges:
/// `("API_CALL", path, args, kwargs)`, `("RESULT", value)`, `("SET_MODE", mode)` and
/// `("EXCEPTION", msg)`. There are no call ids: results match calls by nesting only.
public enum RPCMessage: Sendable {
    case setMode(String)
    case apiCall(path: String, args: [PyValue], kwargs: [(key: PyValue, value: PyValue)])
    case result(PyValue)
    case exception(String)

    /// Reads a received tuple; nil when it is not one of the four shapes.
    public init?(_ value: PyValue) {
        guard case .tuple(let items) = value, case .str(let tag)? = items.first else { return nil }
        switch (tag, items.count) {
        case ("SET_MODE", 2):
            guard case .str(let mode) = items[1] else { return nil }
            self = .setMode(mode)
        case ("API_CALL", 4):
            guard case .str(let path) = items[1], case .tuple(let args) = items[2], case .dict(let kwargs) = items[3] else {
                return nil
            }
            self = .apiCall(path: path, args: args, kwargs: kwargs)
        case ("RESULT", 2):
            self = .result(items[1])
        case ("EXCEPTION", 2):
            guard case .str(let message) = items[1] else { return nil }
            self = .exception(message)
        default:
            return nil
        }
    }

    /// The tuple to send.
    public var value: PyValue {
        switch self {
        case .setMode(let mode): return .tuple(["SET_MODE", .str(mode)])
        case .apiCall(let path, let args, let kwargs): return .tuple(["API_CALL", .str(path), .tuple(args), .dict(kwargs)])
        case .result(let value): return .tuple(["RESULT", value])
        case .exception(let message): return .tuple(["EXCEPTION", .str(message)])
        }
    }
}

extension RPCMessage: Equatable {
    public static func == (lhs: RPCMessage, rhs: RPCMessage) -> Bool {
        lhs.value == rhs.value
    }
}

/// The two encodings of the RPC link. Connections start in line mode; the client switches
/// to pickle4 with a SET_MODE line right after the handshake.
public enum RPCMode: String, Sendable {
    /// `repr(tuple) + "\n"` per message, read back as a Python literal.
    case lineReprEval = "line-repr-eval"
    /// Bare pickle protocol 4 messages, back to back.
    case pickle4
}

/// The peer broke the RPC protocol; the connection must be closed.
public struct RPCProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
