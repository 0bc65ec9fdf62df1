/// Blocking work the daemon does outside libpq (SNMP exchanges with switches) on an OS
/// thread of its own, for the same reason as `DedicatedThread`: a blocked cooperative-pool
/// thread or event loop would stall every other task of the daemon.
public enum BlockingThread {
    public static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await DedicatedThread.run(name: name, body)
    }
}
