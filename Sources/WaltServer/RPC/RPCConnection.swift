import Logging
import NIOCore
import WaltCommon

/// Serves one port-12345 connection: handshake, then calls one at a time, each of which
/// may call back into the client before its RESULT is sent.
///
/// Used only by its connection's task. Every protocol decision is made by WaltCommon's
/// `RPCServerStateMachine` (the one server-side RPC state machine); this type only moves
/// bytes between the socket and the machine and runs the methods it asks for.
final class RPCConnection: Requester {
    private var source: ByteSource
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var machine: RPCServerStateMachine
    /// Actions the machine returned and not carried out yet (one read may hold several).
    private var queued: [RPCServerStateMachine.Action] = []
    private let daemon: DaemonState
    private let remoteIP: String?
    private let logger: Logger
    /// Set when the client went away during a callback: further callbacks answer None.
    private var clientGone = false
    private let sessions = ConnectionSessions()
    /// Bytes held back to leave with the next write: the version line, when the client
    /// already sent more (a pipelined first call), goes out with that call's answer.
    private var unsent: [UInt8] = []

    init(peer: TCPListener.Peer, daemon: DaemonState) {
        source = ByteSource(peer.inbound)
        outbound = peer.outbound
        self.daemon = daemon
        remoteIP = peer.remoteAddress?.ipAddress
        logger = peer.logger
        let local = remoteIP.map(DaemonState.isLocalAddress) ?? false
        machine = RPCServerStateMachine(allowedAPIs: local ? Set(RPCAPIName.allCases) : [.csapi, .nsapi, .vsapi])
    }

    /// Serves the connection; whatever ends it, the sessions it opened are cleaned up.
    func run() async throws {
        do {
            try await serve()
            // What was held back still goes out (a version line before a bad message).
            if !unsent.isEmpty { try await send([]) }
        } catch {
            await sessions.cleanupAll()
            throw error
        }
        await sessions.cleanupAll()
    }

    private func serve() async throws {
        while true {
            switch try await nextAction() {
            case .send(let bytes):
                // Held back while the client's next message is already read: each write is a
                // hop to the event loop, and one segment wakes the client once.
                if queued.isEmpty { try await send(bytes) } else { unsent += bytes }
            case .modeChanged:
                continue
            case .call(let path, let args, let kwargs):
                guard case .session(let api) = machine.state else { return }
                let result = await perform(api: api, method: path, args: args, kwargs: kwargs)
                if clientGone { return }
                try await send(try machine.result(result))
                // Messages the client sent after its call (a pipelined ('CLOSE')).
                queued += machine.received([UInt8]())
            case .callbackResult:
                logger.warning("closing RPC session: RESULT outside a callback")
                return
            case .close(let reason):
                if reason == "client disconnected" || reason == "client ended the session" {
                    logger.debug("RPC session ended: \(reason)")
                } else {
                    logger.warning("closing RPC session: \(reason)")
                }
                return
            }
        }
    }

    /// Writes `bytes`, after what was held back.
    private func send(_ bytes: [UInt8]) async throws {
        let all = unsent.isEmpty ? bytes : unsent + bytes
        unsent = []
        try await outbound.write(ByteBuffer(bytes: all))
    }

    /// The next thing the machine wants done, reading from the socket as needed.
    private func nextAction() async throws -> RPCServerStateMachine.Action {
        while queued.isEmpty {
            // Never wait for the client while holding back what it may be waiting for.
            if !unsent.isEmpty { try await send([]) }
            if let chunk = try await source.next() {
                queued = machine.received(chunk)
            } else {
                return machine.receivedEOF()
            }
        }
        return queued.removeFirst()
    }

    private func perform(api: RPCAPIName, method: String, args: [PyValue],
                         kwargs: [(key: PyValue, value: PyValue)]) async -> PyValue {
        guard let spec = APIRegistry.method(api, method) else {
            logger.warning("unknown \(api.rawValue) method \(method)")
            return exceptionResult("AttributeError", "'\(api.rawValue)' object has no attribute '\(method)'")
        }
        do {
            let bound = try CallArguments(method: method, args: args, kwargs: kwargs, parameters: spec.parameters,
                                          required: spec.required, defaults: spec.defaults)
            let context = APIContext(api: api, requester: self, daemon: daemon, remoteIP: remoteIP, sessions: sessions)
            return try await spec.body(context, bound)
        } catch let mismatch as CallArguments.Mismatch {
            logger.warning("bad call: \(mismatch)")
            return exceptionResult("TypeError", mismatch.message)
        } catch {
            // Upstream returns the exception object as the result; so do we, after logging.
            logger.error("\(api.rawValue).\(method) failed: \(error)")
            return exceptionResult("Exception", "\(error)")
        }
    }

    // MARK: Requester

    func call(_ path: String, _ args: [PyValue]) async throws -> PyValue {
        if clientGone { return .none }
        do {
            try await send(try machine.callback(path, args: args))
            while true {
                switch try await nextAction() {
                case .callbackResult(let value):
                    return value
                case .modeChanged:
                    continue
                case .close(let reason):
                    logger.info("client went away during callback \(path): \(reason)")
                    clientGone = true
                    return .none
                case .send, .call:
                    logger.warning("unexpected message while waiting for the result of \(path)")
                    clientGone = true
                    return .none
                }
            }
        } catch {
            logger.info("client went away during callback \(path): \(error)")
        }
        clientGone = true
        return .none
    }
}

/// A builtin exception as a call's result, as upstream returns them; the names used here
/// are all builtins, so the fallback to None never happens in practice.
func exceptionResult(_ type: String, _ message: String) -> PyValue {
    (try? PyException(type, args: [.str(message)])).map(PyValue.exception) ?? .none
}
