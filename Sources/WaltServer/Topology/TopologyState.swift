import Synchronization

/// What the daemon remembers of topology between calls: when the last scan started (for
/// the tree's "issued X ago" note; upstream keeps it in memory too), and one scan at a time
/// (two scans would each save their half of the view).
final class TopologyState: Sendable {
    private let lastScanTime = Mutex<Double?>(nil)
    let scans = AsyncLock()

    var lastScan: Double? { lastScanTime.withLock { $0 } }

    func scanStarted(at time: Double) {
        lastScanTime.withLock { $0 = time }
    }
}
