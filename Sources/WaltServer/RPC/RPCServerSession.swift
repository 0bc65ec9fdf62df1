import WaltCommon

/// The server end of a port-12345 session as a pure state machine: handshake lines, mode
/// switch, calls, and the results of server-to-client callbacks, matched by nesting only.
///
/// The connection handler feeds it what arrives and carries out the actions it returns;
/// nothing here does I/O, so every rule is tested without sockets.
public struct RPCServerSession: Sendable {
    public enum API: String, Sendable, CaseIterable {
        /// Clients: the walt CLI and the Python scripting API.
        case csapi = "CSAPI"
        /// Nodes (`walt-rpc`), usually in line mode.
        case nsapi = "NSAPI"
        /// Server tools such as walt-dhcp-event; only from the server itself.
        case ssapi = "SSAPI"
        /// Virtual-node and VPN components.
        case vsapi = "VSAPI"
    }

    public enum Mode: String, Sendable {
        case lineReprEval = "line-repr-eval"
        case pickle4 = "pickle4"
    }

    public enum State: Sendable, Equatable {
        case expectingRequestID
        case expectingAPIName
        case ready(API)
        case closed
    }

    public enum Action: Sendable, Equatable {
        /// Wait for more input.
        case none
        /// Answer the handshake with the server version line.
        case sendVersion(API)
        /// Switch both directions' encoding; no reply.
        case switchMode(Mode)
        /// Run an API method, then send `("RESULT", value)`.
        case call(method: String, args: [PyValue], kwargs: [(key: PyValue, value: PyValue)])
        /// The client answered the innermost pending callback.
        case callbackResult(PyValue)
        /// The peer broke the protocol: log the reason and close.
        case close(reason: String)

        public static func == (lhs: Action, rhs: Action) -> Bool {
            switch (lhs, rhs) {
            case (.none, .none): return true
            case (.sendVersion(let a), .sendVersion(let b)): return a == b
            case (.switchMode(let a), .switchMode(let b)): return a == b
            case (.call(let m1, let a1, let k1), .call(let m2, let a2, let k2)):
                return m1 == m2 && a1 == a2 && PyValue.dict(k1) == PyValue.dict(k2)
            case (.callbackResult(let a), .callbackResult(let b)): return a == b
            case (.close(let a), .close(let b)): return a == b
            default: return false
            }
        }
    }

    public static let requestID = "10"
    public static let requestName = "REQ_API_SESSION"
    public static let serverVersion = "10.0"

    public private(set) var state: State = .expectingRequestID
    public private(set) var mode: Mode = .lineReprEval
    /// Server-to-client callbacks sent and not answered yet.
    public private(set) var pendingCallbacks = 0
    private let allowedAPIs: Set<API>

    /// - Parameter allowedAPIs: the APIs this peer may open (SSAPI only for the server itself).
    public init(allowedAPIs: Set<API> = Set(API.allCases)) {
        self.allowedAPIs = allowedAPIs
    }

    /// A handshake line, without its newline.
    public mutating func receivedLine(_ line: String) -> Action {
        let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
        switch state {
        case .expectingRequestID:
            guard text == Self.requestID || text == Self.requestName else {
                return close("invalid request id \(PythonRepr.repr(text)) on the RPC port (expected 10)")
            }
            state = .expectingAPIName
            return .none
        case .expectingAPIName:
            guard let api = API(rawValue: text) else {
                return close("unknown API \(PythonRepr.repr(text))")
            }
            guard allowedAPIs.contains(api) else {
                return close("API \(api.rawValue) is not allowed from this address")
            }
            state = .ready(api)
            return .sendVersion(api)
        case .ready, .closed:
            return close("unexpected handshake line")
        }
    }

    /// A decoded message, in whatever mode is current.
    public mutating func receivedMessage(_ message: PyValue) -> Action {
        guard case .ready = state else { return close("message before the handshake ended") }
        guard let items = message.sequenceItems, case .str(let tag)? = items.first else {
            return close("message is not a tuple starting with a tag")
        }
        switch (tag, items.count) {
        case ("SET_MODE", 2):
            guard case .str(let name) = items[1], let newMode = Mode(rawValue: name) else {
                return close("unknown mode in SET_MODE")
            }
            mode = newMode
            return .switchMode(newMode)
        case ("API_CALL", 4):
            guard case .str(let method) = items[1], let args = items[2].sequenceItems,
                  let kwargs = items[3].dictPairs
            else {
                return close("malformed API_CALL")
            }
            return .call(method: method, args: args, kwargs: kwargs)
        case ("RESULT", 2):
            guard pendingCallbacks > 0 else { return close("RESULT with no pending callback") }
            pendingCallbacks -= 1
            return .callbackResult(items[1])
        default:
            return close("unexpected message \(PythonRepr.repr(tag)) with \(items.count) items")
        }
    }

    /// The server is about to send a callback to the client.
    public mutating func sendingCallback() {
        pendingCallbacks += 1
    }

    /// The peer went away.
    public mutating func receivedEOF() {
        state = .closed
    }

    private mutating func close(_ reason: String) -> Action {
        state = .closed
        return .close(reason: reason)
    }
}
