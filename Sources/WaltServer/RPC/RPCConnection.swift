import Logging
import NIOCore
import WaltCommon

/// Serves one port-12345 connection: handshake, then calls one at a time, each of which
/// may call back into the client before its RESULT is sent.
///
/// Used only by its connection's task. Protocol decisions are made by `RPCServerSession`;
/// this type only moves bytes and runs methods.
final class RPCConnection: Requester {
    private var source: ByteSource
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var session: RPCServerSession
    private let daemon: DaemonState
    private let remoteIP: String?
    private let logger: Logger
    /// Set when the client went away during a callback: further callbacks answer None.
    private var clientGone = false

    init(peer: TCPListener.Peer, daemon: DaemonState) {
        source = ByteSource(peer.inbound)
        outbound = peer.outbound
        self.daemon = daemon
        remoteIP = peer.remoteAddress?.ipAddress
        logger = peer.logger
        let local = remoteIP.map(DaemonState.isLocalAddress) ?? false
        session = RPCServerSession(allowedAPIs: local ? Set(RPCServerSession.API.allCases) : [.csapi, .nsapi, .vsapi])
    }

    func run() async throws {
        guard let api = try await handshake() else { return }
        while let message = try await readMessage() {
            switch session.receivedMessage(message) {
            case .switchMode(let mode):
                if mode == .lineReprEval { source.reclaimPickleBuffer() }
            case .call(let method, let args, let kwargs):
                let result = await perform(api: api, method: method, args: args, kwargs: kwargs)
                if clientGone { return }
                try await send(.tuple(["RESULT", result]))
            case .close(let reason):
                logger.warning("closing RPC session: \(reason)")
                return
            case .callbackResult, .sendVersion, .none:
                logger.warning("closing RPC session: unexpected message")
                return
            }
        }
    }

    private func handshake() async throws -> RPCServerSession.API? {
        while true {
            guard let line = try await source.readLine(limit: 256) else { return nil }
            switch session.receivedLine(String(decoding: line, as: UTF8.self)) {
            case .none: continue
            case .sendVersion(let api):
                try await outbound.write(ByteBuffer(string: RPCServerSession.serverVersion + "\n"))
                return api
            case .close(let reason):
                logger.warning("refusing RPC session: \(reason)")
                return nil
            default:
                return nil
            }
        }
    }

    private func readMessage() async throws -> PyValue? {
        switch session.mode {
        case .pickle4: return try await source.readPickle()
        case .lineReprEval: return try await source.readLiteralLine()
        }
    }

    private func send(_ message: PyValue) async throws {
        switch session.mode {
        case .pickle4:
            try await outbound.write(ByteBuffer(bytes: PickleEncoder.encode(message)))
        case .lineReprEval:
            try await outbound.write(ByteBuffer(string: try PythonRepr.repr(message) + "\n"))
        }
    }

    private func perform(api: RPCServerSession.API, method: String, args: [PyValue],
                         kwargs: [(key: PyValue, value: PyValue)]) async -> PyValue {
        guard let spec = APIRegistry.method(api, method) else {
            logger.warning("unknown \(api.rawValue) method \(method)")
            return exceptionResult("AttributeError", "'\(api.rawValue)' object has no attribute '\(method)'")
        }
        do {
            let bound = try CallArguments(method: method, args: args, kwargs: kwargs, parameters: spec.parameters,
                                          required: spec.required, defaults: spec.defaults)
            let context = APIContext(api: api, requester: self, daemon: daemon, remoteIP: remoteIP)
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
        session.sendingCallback()
        do {
            try await send(.tuple([.str("API_CALL"), .str(path), .tuple(args), .dict([])]))
            while let message = try await readMessage() {
                switch session.receivedMessage(message) {
                case .callbackResult(let value): return value
                case .switchMode(let mode):
                    if mode == .lineReprEval { source.reclaimPickleBuffer() }
                default:
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
