import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Upstream's walt-server-httpd as a service of the daemon's group: HTTP/1.1 on port 80 (by
/// default) of the daemon's address, one task per connection, requests answered by a
/// `WebRouter`. The web API is optional for the platform, so a port that cannot be bound
/// (taken, or no right to bind it) is one error line and the daemon goes on without it.
struct HTTPService: Service {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let host: String
    let port: Int
    let router: WebRouter
    let logger: Logger
    /// Called once the socket listens (tests learn the real port from it).
    var onBound: (@Sendable (SocketAddress) -> Void)? = nil

    func run() async throws {
        let server: NIOAsyncChannel<Connection, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).daemonListeningOptions()
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        // Finishing the writer flushes what is queued, then sends FIN.
                        return try Connection(wrappingChannelSynchronously: channel,
                                              configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            logger.error("HTTP service (web API, /boot) not started: cannot listen on \(host):\(port): \(error)")
            // Returning would end the whole group: wait for the daemon's shutdown instead.
            try? await gracefulShutdown()
            return
        }
        try await AcceptLoop.run(server, service: "http", logger: logger, onBound: onBound) { connection in
            await serve(connection)
        }
    }

    private func serve(_ connection: Connection) async {
        var connectionLogger = logger
        connectionLogger[metadataKey: "peer"] = "\(connection.channel.remoteAddress?.description ?? "?")"
        connectionLogger[metadataKey: "service"] = "http"
        do {
            try await HTTPConnection(connection: connection, router: router, logger: connectionLogger).run()
        } catch is CancellationError {
            connectionLogger.debug("connection cancelled")
        } catch {
            connectionLogger.debug("connection closed after error: \(error)")
        }
    }
}
