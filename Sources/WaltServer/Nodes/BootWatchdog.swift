import Logging
import ServiceLifecycle
import Synchronization
import WaltCommon
import WaltStore

/// The boot watchdog service: hard-reboots nodes that do not finish booting within their
/// `boot.timeout`, at most `boot.retries` times in a row (server.md §4.2).
///
/// It wakes at the next deadline, or every few seconds to see new nodes and settings, and
/// reads the nodes' settings from the database each time, so `walt node config` applies at
/// once without a notification path.
public final class BootWatchdog: Service, Sendable {
    static let longestSleep: Duration = .seconds(5)

    private let state = Mutex(BootWatchdogState())
    private let daemon: Mutex<DaemonState?> = Mutex(nil)

    public init() {}

    /// The daemon it works for; set once the daemon state exists.
    func attach(_ daemon: DaemonState) {
        self.daemon.withLock { $0 = daemon }
    }

    func nodeDown(_ mac: String) {
        state.withLock { $0.nodeDown(mac, now: ServerClock.now()) }
    }

    func rebootRequested(_ macs: [String]) {
        state.withLock { $0.rebootRequested(macs, now: ServerClock.now()) }
    }

    func forget(_ mac: String) {
        state.withLock { $0.forget(mac) }
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var sleep = Self.longestSleep
            if let daemon = daemon.withLock({ $0 }) {
                do {
                    sleep = try await check(daemon)
                } catch {
                    daemon.logger.warning("boot watchdog: cannot read the nodes: \(error)")
                }
            }
            try? await Task.sleep(for: sleep)
        }
    }

    /// Reboots the nodes that are due; returns how long to sleep until the next deadline.
    private func check(_ daemon: DaemonState) async throws -> Duration {
        let rows = try await daemon.store.query(
            """
            SELECT d.mac, d.name,
                NULLIF(COALESCE(d.conf->'boot.timeout', '180'::jsonb), 'null'::jsonb)::int AS timeout,
                COALESCE((d.conf->'boot.retries')::int, 9) AS retries
            FROM devices d WHERE d.type = 'node'
            """, idempotent: true).rows
        let nodes = rows.compactMap { row -> BootWatchdogState.Node? in
            guard let mac = row["mac"], let name = row["name"] else { return nil }
            return .init(mac: mac, name: name, timeout: row["timeout"].flatMap { Int($0) },
                         retries: row["retries"].flatMap { Int($0) } ?? 9)
        }
        let booted = daemon.booted
        let now = ServerClock.now()
        let due = state.withLock { $0.due(nodes, booted: booted, now: now) }
        if !due.isEmpty {
            for node in due { await daemon.platformLog.log("nodes", node.logLine) }
            let infos = try await DeviceQueries(daemon: daemon).info(macs: due.map(\.mac))
            _ = try await NodeReboot(daemon: daemon, requester: DiscardingRequester())
                .run(infos, hardOnly: true, cause: "bootup timeout")
        }
        let next = state.withLock { $0.nextDeadline(nodes, booted: booted) }
        guard let next else { return Self.longestSleep }
        let wait = Duration.milliseconds(max(Int((next - ServerClock.now()) * 1000), 10))
        return min(wait, Self.longestSleep)
    }
}

/// The requester of the daemon's own workflows: nobody reads what they would print.
final class DiscardingRequester: Requester, @unchecked Sendable {
    func call(_ path: String, _ args: [PyValue]) async throws -> PyValue { .none }
}
