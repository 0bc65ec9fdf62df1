/// The client end of a port-12345 session over a blocking socket.
///
/// All protocol rules live in `RPCClientStateMachine`; this type only moves bytes between
/// it and a `BlockingSocket`: `10\n<API>\n`, the server's version line, `SET_MODE pickle4`,
/// then calls whose server-to-client callbacks are answered by the caller's handler until
/// the RESULT arrives.
public final class RPCClientLink {
    /// Why a link failed, in the three classes upstream's client reports differently.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public enum Kind: Sendable, Equatable {
            /// Connect, send or receive failed, or the server hung up ("Network connection
            /// to WalT server failed!").
            case network
            /// The server broke the protocol ("Issue occured while communicating with WalT
            /// server!").
            case protocolViolation
            /// The server sent `("EXCEPTION", msg)`; `description` is `msg`.
            case serverException
            /// A callback handler gave up (it threw): the callback stays unanswered, so
            /// the link takes no more calls.
            case callbackFailed
        }

        public let description: String
        public let kind: Kind

        public init(_ description: String, kind: Kind = .network) {
            self.description = description
            self.kind = kind
        }
    }

    /// Answers one callback (`path`, args) from the server. It may call `call` on this link
    /// (a nested call, answered before the callback is). What it throws ends the pending
    /// calls with that failure, and the link with them.
    public typealias CallbackHandler = (String, [PyValue]) throws(Failure) -> PyValue

    private let socket: BlockingSocket
    private var machine: RPCClientStateMachine
    /// Actions decoded but not yet carried out (messages that arrived behind a callback).
    private var pending: [RPCClientStateMachine.Action] = []
    /// What the server announced, e.g. `10.0`; nil until its line arrived (pipelined).
    public private(set) var remoteVersion: String?
    /// Runs on the version line as soon as it arrives, before anything behind it: what it
    /// throws ends the call under way, and the link with it.
    public var versionCheck: ((String) throws(Failure) -> Void)?
    /// How long the version line may take, in 100 ms waits.
    private let versionTicks: Int
    /// Set when a callback handler failed: the server still waits for its answer.
    private var broken: Failure?
    /// Bytes not written yet: a pipelined handshake waits here for the first call, so that
    /// both leave in one segment and the server reads them in one wake-up.
    private var outbox: [UInt8] = []

    /// Connects and completes the handshake; the version line must arrive within
    /// `connectTimeoutMilliseconds` too.
    ///
    /// - Parameter pipelined: return without waiting for the version line; the handshake
    ///   and SET_MODE leave with the first call, in one write, saving a round trip and a
    ///   wake-up of the server. `versionCheck` sees the line when it comes (or call
    ///   `awaitVersion()` first, which sends them alone).
    public convenience init(host: String, port: Int = WaltPorts.rpc, api: String, connectTimeoutMilliseconds: Int32 = 10_000,
                            pipelined: Bool = false) throws(Failure) {
        guard let name = RPCAPIName(rawValue: api) else { throw Failure("unknown API \(api)", kind: .protocolViolation) }
        let socket: BlockingSocket
        do {
            socket = try BlockingSocket(host: host, port: port, timeoutMilliseconds: connectTimeoutMilliseconds)
        } catch {
            throw Failure(error.description)
        }
        try self.init(socket: socket, api: name, connectTimeoutMilliseconds: connectTimeoutMilliseconds, pipelined: pipelined)
    }

    /// A link over a socket already connected.
    init(socket: BlockingSocket, api: RPCAPIName, connectTimeoutMilliseconds: Int32, pipelined: Bool) throws(Failure) {
        self.socket = socket
        var machine = RPCClientStateMachine(api: api)
        versionTicks = max(1, Int(connectTimeoutMilliseconds) / 100)
        outbox = machine.start(pipelined: pipelined)
        self.machine = machine
        if !pipelined { try awaitVersion() }
    }

    /// The server's version, waiting for its line if it has not been read yet; then sends
    /// what the handshake still owes (SET_MODE, when it did not go with the handshake).
    @discardableResult
    public func awaitVersion() throws(Failure) -> String {
        if let broken { throw broken }
        while remoteVersion == nil {
            guard !pending.isEmpty else {
                try waitForInput(idle: nil)
                pending = try Self.receiveActions(socket, &machine)
                continue
            }
            switch pending.removeFirst() {
            case .connected(let version): try accept(version: version)
            case .failure(let reason): throw Failure(reason, kind: .protocolViolation)
            default: throw Failure("unexpected message during the handshake", kind: .protocolViolation)
            }
        }
        while case .send(let bytes)? = pending.first {
            pending.removeFirst()
            try send(bytes)
        }
        return remoteVersion ?? ""
    }

    /// Records the version line and runs `versionCheck` on it.
    private func accept(version: String) throws(Failure) {
        remoteVersion = version
        do { try versionCheck?(version) } catch {
            broken = error
            throw error
        }
    }

    /// Returns once the server sent something, running `idle` every 100 ms meanwhile; the
    /// version line must come within the connect timeout.
    private func waitForInput(idle: (() throws(Failure) -> Void)?) throws(Failure) {
        if !outbox.isEmpty { try send([]) }
        var waited = 0
        while !socket.waitReadable(milliseconds: 100) {
            try idle?()
            waited += 1
            if remoteVersion == nil && waited >= versionTicks {
                throw Failure("the server did not send its version line in time")
            }
        }
    }

    /// Calls `method` and returns its result, answering callbacks on the way.
    ///
    /// - Parameter idle: called about every 100 ms while the server works (the busy
    ///   indicator's tick); nil waits without ticking. What it throws ends the wait (Ctrl-C
    ///   or a timeout during `wait_for_nodes`); the link must not be used for calls after that.
    public func call(_ method: String, _ args: [PyValue], kwargs: [(key: PyValue, value: PyValue)] = [],
                     callbacks: CallbackHandler = { _, _ in .none },
                     idle: (() throws(Failure) -> Void)? = nil) throws(Failure) -> PyValue {
        if let broken { throw broken }
        let request: [UInt8]
        do { request = try machine.call(method, args: args, kwargs: kwargs) } catch {
            throw Failure(error.reason, kind: .protocolViolation)
        }
        try send(request)
        while true {
            guard !pending.isEmpty else {
                try waitForInput(idle: idle)
                pending = try Self.receiveActions(socket, &machine)
                continue
            }
            switch pending.removeFirst() {
            case .result(let value):
                return value
            case .callback(let path, let callArgs, _):
                let answer: PyValue
                do { answer = try callbacks(path, callArgs) } catch {
                    broken = broken ?? Failure(error.description, kind: .callbackFailed)
                    throw error
                }
                let reply: [UInt8]
                do { reply = try machine.callbackResult(answer) } catch {
                    throw Failure(error.reason, kind: .protocolViolation)
                }
                try send(reply)
                pending += machine.received([])
            case .serverException(let message):
                throw Failure(message, kind: .serverException)
            case .failure(let reason):
                throw Failure(reason, kind: .protocolViolation)
            case .send(let bytes):
                try send(bytes)
            case .connected(let version):
                guard remoteVersion == nil else { throw Failure("a second handshake reply", kind: .protocolViolation) }
                try accept(version: version)
            }
        }
    }

    /// Reads what is available and turns it into actions; EOF is a network failure.
    private static func receiveActions(_ socket: BlockingSocket,
                                       _ machine: inout RPCClientStateMachine) throws(Failure) -> [RPCClientStateMachine.Action] {
        let chunk: [UInt8]
        do { chunk = try socket.receive() } catch { throw Failure(error.description) }
        guard !chunk.isEmpty else {
            _ = machine.receivedEOF()
            throw Failure("the server closed the connection")
        }
        return machine.received(chunk)
    }

    /// Writes `bytes` after whatever the outbox holds.
    private func send(_ bytes: [UInt8]) throws(Failure) {
        let all = outbox.isEmpty ? bytes : outbox + bytes
        outbox = []
        do { try socket.send(all) } catch { throw Failure(error.description) }
    }
}
