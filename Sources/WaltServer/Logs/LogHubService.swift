import Logging
import ServiceLifecycle

/// Flushes the log hub to PostgreSQL at least every 0.3 s (sooner for big batches), and
/// once more at shutdown. In the service group it comes after the store and before the
/// listeners that feed it: services stop in reverse order, so the listeners stop first,
/// then this flushes everything accepted, then the store closes.
struct LogHubService: Service {
    static let flushInterval: Duration = .milliseconds(300)

    let hub: LogHub
    let logger: Logger

    func run() async throws {
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await hub.setWakeFlusher { wake.yield() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.flushInterval)
                        wake.yield()
                    }
                    wake.finish()
                }
                for await _ in wakes {
                    if Task.isCancelled { break }
                    await hub.flush()
                }
                group.cancelAll()
            }
        }
        await hub.finishSubscribers()
        // Last flush, with a few retries if PostgreSQL is restarting.
        for attempt in 1...5 {
            if await hub.flush() { break }
            logger.warning("final log flush failed (attempt \(attempt) of 5)")
            try? await Task.sleep(for: .milliseconds(500))
        }
        let left = await hub.pendingCount
        if left > 0 { logger.error("\(left) log lines could not be written at shutdown") }
        logger.info("log hub flushed and stopped")
    }
}
