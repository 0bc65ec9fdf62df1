/// The targets a peer may name on port 12345 after `10\n`: clients (`CSAPI`), nodes
/// (`NSAPI`, usually in line mode), server tools (`SSAPI`), virtual nodes (`VSAPI`).
public enum RPCAPIName: String, Sendable, CaseIterable {
    case csapi = "CSAPI"
    case nsapi = "NSAPI"
    case ssapi = "SSAPI"
    case vsapi = "VSAPI"
}

/// The server end of an RPC link (port 12345) as a pure state machine: bytes in, actions
/// out, bytes to send from the methods that answer. No I/O, so each rule is testable
/// without sockets.
///
/// Handshake `10\n` (or `REQ_API_SESSION\n`), API name line, reply `10.0\n`; then messages in
/// line mode until `SET_MODE`, then pickles. One client call at a time; while it runs the
/// server may send callbacks, each answered by one RESULT, matched by nesting.
public struct RPCServerStateMachine {
    public enum State: Equatable, Sendable {
        case awaitingRequestID
        case awaitingAPIName
        case session(RPCAPIName)
        case closed
    }

    public enum Action: Sendable {
        /// Bytes to write (the version line).
        case send([UInt8])
        /// The client switched encodings (no reply is due).
        case modeChanged(RPCMode)
        /// Run `path`; send callbacks with `callback(...)` if needed, then `result(...)`.
        case call(path: String, args: [PyValue], kwargs: [(key: PyValue, value: PyValue)])
        /// The client answered the innermost callback.
        case callbackResult(PyValue)
        /// Protocol broken or peer gone: close the connection.
        case close(reason: String)
    }

    public static let version = "10.0"
    public static let requestID = "10"
    public static let requestName = "REQ_API_SESSION"

    public private(set) var state: State = .awaitingRequestID
    public private(set) var callInProgress = false
    /// Callbacks sent and not answered yet (a stack: the next RESULT answers the last one).
    public private(set) var pendingCallbacks = 0
    public var mode: RPCMode { framer.mode }
    private var framer: RPCFramer
    private let allowedAPIs: Set<RPCAPIName>

    /// - Parameter allowedAPIs: the targets this peer may open (SSAPI only from the server itself).
    public init(allowedAPIs: Set<RPCAPIName> = Set(RPCAPIName.allCases), pickleLimits: PickleLimits = PickleLimits()) {
        self.allowedAPIs = allowedAPIs
        framer = RPCFramer(pickleLimits: pickleLimits)
    }

    /// Bytes from the client (none: go on with what is buffered, after a call's result);
    /// returns what to do, in order.
    public mutating func received(_ bytes: some Sequence<UInt8>) -> [Action] {
        guard state != .closed else { return [] }
        framer.feed(bytes)
        var actions: [Action] = []
        do {
            while let action = try step() {
                actions.append(action)
                if case .close = action { break }
                // What follows a call is read once it is answered (`result`, then
                // `received([])`): a client may pipeline its ('CLOSE') after the call, as
                // upstream reads one message at a time.
                if case .call = action { break }
            }
        } catch {
            actions.append(close(error.reason))
        }
        return actions
    }

    private mutating func step() throws(RPCProtocolError) -> Action? {
        switch state {
        case .closed:
            return nil
        case .awaitingRequestID:
            guard let line = try framer.nextLine() else { return nil }
            let text = String(decoding: line, as: UTF8.self).trimmingSpaces
            guard text == Self.requestID || text == Self.requestName else {
                return close("invalid request \(PythonRepr.repr(text)) on the RPC port")
            }
            state = .awaitingAPIName
            return try step()
        case .awaitingAPIName:
            guard let line = try framer.nextLine() else { return nil }
            let text = String(decoding: line, as: UTF8.self).trimmingSpaces
            guard let api = RPCAPIName(rawValue: text) else { return close("unknown API \(PythonRepr.repr(text))") }
            guard allowedAPIs.contains(api) else { return close("API \(api.rawValue) is not allowed for this peer") }
            state = .session(api)
            return .send(Array((Self.version + "\n").utf8))
        case .session:
            guard let value = try framer.nextValue() else { return nil }
            guard let message = RPCMessage(value) else {
                // The node script walt-rpc ends with the line ('CLOSE'), a str.
                if value == "CLOSE" || value == .tuple(["CLOSE"]) { return close("client ended the session") }
                return close("unexpected message \(String(value.description.prefix(200)))")
            }
            return handle(message)
        }
    }

    private mutating func handle(_ message: RPCMessage) -> Action {
        switch message {
        case .setMode(let name):
            guard let newMode = RPCMode(rawValue: name) else { return close("unknown mode \(PythonRepr.repr(name))") }
            framer.switchMode(to: newMode)
            return .modeChanged(newMode)
        case .apiCall(let path, let args, let kwargs):
            guard !callInProgress else { return close("API_CALL while another call is running") }
            callInProgress = true
            return .call(path: path, args: args, kwargs: kwargs)
        case .result(let value):
            guard pendingCallbacks > 0 else { return close("RESULT with no pending callback") }
            pendingCallbacks -= 1
            return .callbackResult(value)
        case .exception:
            return close("EXCEPTION message from a client")
        }
    }

    /// Ends the running call with its result; returns the bytes to send.
    public mutating func result(_ value: PyValue) throws(RPCProtocolError) -> [UInt8] {
        guard callInProgress, pendingCallbacks == 0 else {
            throw RPCProtocolError(callInProgress ? "result while a callback is unanswered" : "result with no call running")
        }
        let bytes = try RPCFramer.encode(.result(value), mode: framer.mode)
        callInProgress = false
        return bytes
    }

    /// Calls back into the client during the running call; its answer arrives as
    /// `.callbackResult`. Returns the bytes to send.
    public mutating func callback(_ path: String, args: [PyValue] = [], kwargs: [(key: PyValue, value: PyValue)] = []) throws(RPCProtocolError) -> [UInt8] {
        guard callInProgress, case .session = state else { throw RPCProtocolError("callback outside a call") }
        let bytes = try RPCFramer.encode(.apiCall(path: path, args: args, kwargs: kwargs), mode: framer.mode)
        pendingCallbacks += 1
        return bytes
    }

    /// The client closed the connection. Pending callbacks are answered by nothing; upstream
    /// treats them as `None` and drops the call.
    public mutating func receivedEOF() -> Action {
        let wasInCall = callInProgress
        callInProgress = false
        pendingCallbacks = 0
        return close(wasInCall ? "client disconnected during a call" : "client disconnected")
    }

    private mutating func close(_ reason: String) -> Action {
        state = .closed
        return .close(reason: reason)
    }
}

extension RPCServerStateMachine.Action: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.send(let a), .send(let b)): return a == b
        case (.modeChanged(let a), .modeChanged(let b)): return a == b
        case (.call(let p1, let a1, let k1), .call(let p2, let a2, let k2)):
            return RPCMessage.apiCall(path: p1, args: a1, kwargs: k1) == .apiCall(path: p2, args: a2, kwargs: k2)
        case (.callbackResult(let a), .callbackResult(let b)): return a == b
        case (.close(let a), .close(let b)): return a == b
        default: return false
        }
    }
}
