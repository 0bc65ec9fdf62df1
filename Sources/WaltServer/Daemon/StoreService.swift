import Logging
import ServiceLifecycle
import WaltStore

/// Keeps the database side up for the daemon's lifetime: watches the embedded cluster and
/// restarts it if it died; at shutdown (after every other service stopped, being first in
/// the group) closes the connections and stops the cluster.
struct StoreService: Service {
    let store: PostgresStore
    let cluster: EmbeddedCluster?
    let logger: Logger

    func run() async throws {
        if let cluster {
            await cancelWhenGracefulShutdown {
                await cluster.keepRunning { [logger] outcome in
                    switch outcome {
                    case .success: logger.warning("embedded PostgreSQL had stopped; restarted it")
                    case .failure(let error): logger.error("embedded PostgreSQL is down and could not restart: \(error)")
                    }
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        await store.close()
        if let cluster {
            do {
                try await cluster.stop()
                logger.info("embedded PostgreSQL stopped")
            } catch {
                logger.error("could not stop embedded PostgreSQL: \(error)")
            }
        }
    }
}
