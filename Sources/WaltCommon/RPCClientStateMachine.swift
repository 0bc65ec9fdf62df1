/// The client end of an RPC link (port 12345) as a pure state machine, for our `walt`
/// talking to our daemon or to an upstream one.
///
/// `start()` gives the handshake bytes; the server's version line yields `.connected` and
/// the SET_MODE line to send, after which both directions are pickles. `start(pipelined:)`
/// sends SET_MODE with the handshake instead, and then allows one call before the version
/// line arrives: the server reads its input in order, so the call costs no extra round
/// trip, and `.connected` still comes before anything the call produces. A call returns at
/// the first RESULT; server callbacks arriving meanwhile must each be answered with
/// `callbackResult(_:)` before the call can end. While a callback runs, the client may make
/// a call of its own (upstream's client does, to test registry credentials it just asked
/// for: `registry_login` inside `prompt_missing_registry_credentials`); its RESULT comes
/// back before the callback is answered. Anything else breaks the link, as in upstream's
/// client ("Unexpected communication issue with the server.").
public struct RPCClientStateMachine {
    public enum State: Equatable, Sendable {
        case notStarted
        case awaitingVersion
        case ready
        case waitingForResult
        /// A server callback is being run locally.
        case answeringCallback
        case closed
    }

    public enum Action: Sendable {
        /// Bytes to write now (the SET_MODE line after the handshake).
        case send([UInt8])
        /// Handshake done; compare the version with "10.0".
        case connected(serverVersion: String)
        /// Run this locally and answer with `callbackResult(_:)`.
        case callback(path: String, args: [PyValue], kwargs: [(key: PyValue, value: PyValue)])
        /// The pending call returned.
        case result(PyValue)
        /// The server reported an internal failure (`("EXCEPTION", msg)`).
        case serverException(String)
        /// The link is broken; the reason is for logs.
        case failure(String)
    }

    public private(set) var state: State = .notStarted
    /// Calls and callbacks under way, innermost last: a call waits for its RESULT, a
    /// callback for `callbackResult(_:)`.
    private var frames: [Frame] = []
    private enum Frame { case call, callback }
    public let api: RPCAPIName
    public let targetMode: RPCMode
    private var framer: RPCFramer
    /// SET_MODE went out with the handshake (`start(pipelined: true)`).
    private var modeAnnounced = false

    /// - Parameters:
    ///   - api: the target named in the handshake (`CSAPI` for clients).
    ///   - mode: `pickle4` (what walt-client 10.0 does) or stay in `line-repr-eval`.
    public init(api: RPCAPIName = .csapi, mode: RPCMode = .pickle4, pickleLimits: PickleLimits = PickleLimits()) {
        self.api = api
        targetMode = mode
        framer = RPCFramer(pickleLimits: pickleLimits)
    }

    /// The first bytes to send: `10\nCSAPI\n`, and with `pipelined` the SET_MODE line too.
    public mutating func start(pipelined: Bool = false) -> [UInt8] {
        state = .awaitingVersion
        var bytes = Array("\(RPCServerStateMachine.requestID)\n\(api.rawValue)\n".utf8)
        if pipelined && targetMode != framer.mode,
           let setMode = try? RPCFramer.encode(.setMode(targetMode.rawValue), mode: framer.mode) {
            bytes += setMode
            modeAnnounced = true
        }
        return bytes
    }

    /// Sends a call; its outcome arrives as `.result` (after any `.callback`s). Allowed when
    /// ready, while answering a callback (a nested call), and once before the version line
    /// after a pipelined start.
    public mutating func call(_ path: String, args: [PyValue] = [], kwargs: [(key: PyValue, value: PyValue)] = []) throws(RPCProtocolError) -> [UInt8] {
        let early = state == .awaitingVersion && modeAnnounced && frames.isEmpty
        guard state == .ready || state == .answeringCallback || early else { throw RPCProtocolError("call while the link is \(state)") }
        let bytes = try RPCFramer.encode(.apiCall(path: path, args: args, kwargs: kwargs), mode: early ? targetMode : framer.mode)
        frames.append(.call)
        if !early { state = .waitingForResult }
        return bytes
    }

    /// Answers the callback being run. Messages that arrived behind the callback stay
    /// buffered: call `received([])` after sending this to process them.
    public mutating func callbackResult(_ value: PyValue) throws(RPCProtocolError) -> [UInt8] {
        guard state == .answeringCallback else { throw RPCProtocolError("no callback to answer") }
        let bytes = try RPCFramer.encode(.result(value), mode: framer.mode)
        frames.removeLast()
        state = .waitingForResult
        return bytes
    }

    /// Bytes from the server; returns what to do, in order.
    public mutating func received(_ bytes: some Sequence<UInt8>) -> [Action] {
        guard state != .closed else { return [] }
        framer.feed(bytes)
        var actions: [Action] = []
        do {
            while let action = try step() {
                actions.append(action)
                if case .failure = action { break }
                if case .callback = action { break }
            }
        } catch {
            actions.append(fail(error.reason))
        }
        return actions
    }

    private mutating func step() throws(RPCProtocolError) -> Action? {
        switch state {
        case .notStarted, .closed, .answeringCallback:
            return nil
        case .awaitingVersion:
            guard let line = try framer.nextLine() else { return nil }
            let version = String(decoding: line, as: UTF8.self).trimmingSpaces
            if modeAnnounced {
                framer.switchMode(to: targetMode)
                state = frames.isEmpty ? .ready : .waitingForResult
            } else {
                state = .ready
            }
            return .connected(serverVersion: version)
        case .ready:
            if framer.mode != targetMode {
                let bytes = try RPCFramer.encode(.setMode(targetMode.rawValue), mode: framer.mode)
                framer.switchMode(to: targetMode)
                return .send(bytes)
            }
            guard try framer.nextValue() == nil else { return fail("message from the server while no call is pending") }
            return nil
        case .waitingForResult:
            guard let value = try framer.nextValue() else { return nil }
            switch RPCMessage(value) {
            case .result(let result)?:
                frames.removeLast()
                state = frames.last == .callback ? .answeringCallback : .ready
                return .result(result)
            case .apiCall(let path, let args, let kwargs)?:
                frames.append(.callback)
                state = .answeringCallback
                return .callback(path: path, args: args, kwargs: kwargs)
            case .exception(let message)?:
                state = .closed
                return .serverException(message)
            default:
                return fail("unexpected message \(String(value.description.prefix(200)))")
            }
        }
    }

    /// The server closed the connection.
    public mutating func receivedEOF() -> Action? {
        let wasBusy = state == .waitingForResult || state == .answeringCallback || state == .awaitingVersion
        state = .closed
        return wasBusy ? .failure("server closed the connection") : nil
    }

    private mutating func fail(_ reason: String) -> Action {
        state = .closed
        return .failure(reason)
    }
}

extension RPCClientStateMachine.Action: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.send(let a), .send(let b)): return a == b
        case (.connected(let a), .connected(let b)): return a == b
        case (.callback(let p1, let a1, let k1), .callback(let p2, let a2, let k2)):
            return RPCMessage.apiCall(path: p1, args: a1, kwargs: k1) == .apiCall(path: p2, args: a2, kwargs: k2)
        case (.result(let a), .result(let b)): return a == b
        case (.serverException(let a), .serverException(let b)): return a == b
        case (.failure(let a), .failure(let b)): return a == b
        default: return false
        }
    }
}
