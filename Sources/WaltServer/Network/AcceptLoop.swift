import Logging
import NIOCore
import ServiceLifecycle

/// What every listening port of the daemon does once bound (RPC, streams, HTTP): say where
/// it listens, run one task per accepted connection, and on graceful shutdown stop
/// accepting and cancel the open connections.
enum AcceptLoop {
    static func run<Inbound: Sendable>(
        _ server: NIOAsyncChannel<Inbound, Never>, service: String, logger: Logger,
        onBound: (@Sendable (SocketAddress) -> Void)?, serve: @escaping @Sendable (Inbound) async -> Void
    ) async throws {
        if let address = server.channel.localAddress {
            logger.info("listening", metadata: ["service": "\(service)", "address": "\(address)"])
            onBound?(address)
        }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await serve(connection) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        logger.info("stopped", metadata: ["service": "\(service)"])
    }
}
