import Logging

/// Restarts a service (dhcpd, named) or makes it reload (the NFS server) after its
/// configuration changed, as upstream's ServiceRestarter: at most one command at a time,
/// and at least `minimumInterval` between the end of one and the start of the next. Many
/// nodes registering at once thus cost a few restarts, not one each (dhcpd cannot reload,
/// and systemd refuses units restarted too often).
public actor ServiceRestarter {
    public let name: String
    private let minimumInterval: Duration
    private let command: @Sendable () async -> Int32
    private let logger: Logger
    /// Bumped on each configuration change; the service runs `serviceVersion`.
    private var configVersion = 0
    private var serviceVersion = 0
    private var loop: Task<Void, Never>?
    private var waiters: [(version: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Commands run so far (for tests and logs).
    public private(set) var restarts = 0

    public init(name: String, minimumInterval: Duration = .seconds(5), logger: Logger,
                command: @escaping @Sendable () async -> Int32) {
        self.name = name
        self.minimumInterval = minimumInterval
        self.command = command
        self.logger = logger
    }

    /// Records a new configuration and makes sure a restart covering it will run.
    public func configurationChanged() {
        configVersion += 1
        startLoop()
    }

    /// Waits until a restart covering the current configuration has completed.
    public func waitUntilCurrent() async {
        let target = configVersion
        guard serviceVersion < target else { return }
        await withCheckedContinuation { waiters.append((target, $0)) }
    }

    /// Lets a pending pause end at once and stops the loop (daemon shutdown).
    public func stop() {
        loop?.cancel()
    }

    private func startLoop() {
        guard loop == nil else { return }
        loop = Task { await self.runLoop() }
    }

    private func runLoop() async {
        while serviceVersion < configVersion, !Task.isCancelled {
            let version = configVersion
            logger.info("restarting \(name)", metadata: ["config-version": "\(version)"])
            let status = await command()
            restarts += 1
            if status != 0 {
                logger.warning("\(name) restart command exited with status \(status)")
            }
            serviceVersion = version
            let ready = waiters.filter { $0.version <= version }
            waiters.removeAll { $0.version <= version }
            for waiter in ready { waiter.continuation.resume() }
            try? await Task.sleep(for: minimumInterval)
        }
        loop = nil
        for waiter in waiters { waiter.continuation.resume() }
        waiters.removeAll()
    }
}
