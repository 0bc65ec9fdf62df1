import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A TCP port of the daemon as a `Service`: accepts connections and runs one task per
/// connection with the given handler.
///
/// One misbehaving client must never take the port down: a handler's error is logged with the
/// peer's address and only that connection is closed. On graceful shutdown the listener stops
/// accepting; open connections are cancelled, and handlers finish what they acknowledged.
public struct TCPListener: Service {
    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>
    public typealias Handler = @Sendable (Peer) async throws -> Void

    /// One accepted connection, as handlers see it.
    public struct Peer {
        public let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
        public let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        /// Used for trust decisions (SSAPI only from the server itself, node APIs only from
        /// registered devices).
        public let remoteAddress: SocketAddress?
        public let logger: Logger
        /// Closes the connection after `delay` unless it closed before: bounds how long a
        /// finished session waits for a client to hang up.
        public let closeAfter: @Sendable (_ delay: TimeAmount) -> Void
    }

    let name: String
    let host: String
    let port: Int
    let logger: Logger
    let handler: Handler
    let onBound: (@Sendable (SocketAddress) -> Void)?
    /// Connections live on the event loop that accepted them, instead of being spread over
    /// the group: registering a connection on another loop takes several wake-ups of both
    /// loops, which a port of many short connections (RPC: one per `walt` command) pays on
    /// each (0.08 ms of a fresh connection's first answer on the 2-core VM). Its I/O is
    /// small; the work is done by the connection's task, off the loop.
    let connectionsOnAcceptLoop: Bool

    /// - Parameters:
    ///   - name: what the port serves, for log lines ("rpc", "streams").
    ///   - onBound: called once the socket listens (tests learn the real port from it).
    public init(
        name: String, host: String, port: Int, logger: Logger,
        onBound: (@Sendable (SocketAddress) -> Void)? = nil, connectionsOnAcceptLoop: Bool = false,
        handler: @escaping Handler
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.logger = logger
        self.handler = handler
        self.onBound = onBound
        self.connectionsOnAcceptLoop = connectionsOnAcceptLoop
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let bootstrap = connectionsOnAcceptLoop
            ? ServerBootstrap(group: loop, childGroup: loop) : ServerBootstrap(group: group)
        let server = try await bootstrap.daemonListeningOptions()
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Finishing the writer flushes what is queued, then sends FIN.
                    try Connection(wrappingChannelSynchronously: channel,
                                   configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        try await AcceptLoop.run(server, service: name, logger: logger, onBound: onBound) { connection in
            await serve(connection)
        }
    }

    private func serve(_ connection: Connection) async {
        let remote = connection.channel.remoteAddress
        var connectionLogger = logger
        connectionLogger[metadataKey: "peer"] = "\(remote?.description ?? "?")"
        connectionLogger[metadataKey: "service"] = "\(name)"
        do {
            try await connection.executeThenClose { inbound, outbound in
                let channel = connection.channel
                let closeAfter: @Sendable (TimeAmount) -> Void = { delay in
                    channel.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
                }
                try await handler(Peer(inbound: inbound, outbound: outbound, remoteAddress: remote, logger: connectionLogger,
                                       closeAfter: closeAfter))
            }
        } catch is CancellationError {
            connectionLogger.debug("connection cancelled")
        } catch {
            connectionLogger.warning("connection closed after error: \(error)")
        }
    }
}
