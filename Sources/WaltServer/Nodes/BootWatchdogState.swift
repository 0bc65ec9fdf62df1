/// The boot watchdog's bookkeeping (server.md §4.2): when each node started booting and how
/// many hard-reboot retries it has left. Pure, so the rules are tested without clocks.
///
/// A node that is not booted, whose `boot.timeout` is not `none` and that has retries left
/// is due once `boot start + timeout` has passed; it then loses a retry and its boot start
/// moves to now, so a failed hard reboot waits a whole timeout before the next try.
struct BootWatchdogState: Sendable {
    /// What the database says of a node, read at each check (settings change live).
    struct Node: Sendable, Equatable {
        var mac: String
        var name: String
        /// Seconds; nil when `boot.timeout=none`.
        var timeout: Int?
        var retries: Int
    }

    struct Due: Sendable, Equatable {
        var mac: String
        var name: String
        var retriesLeft: Int

        /// The platform log line, in upstream's words.
        var logLine: String {
            "\(name): boot timeout reached, trying hard-reboot "
                + (retriesLeft > 0 ? "(\(retriesLeft) retries left)." : "(last try).")
        }
    }

    private var starts: [String: Double] = [:]
    /// Retries left; absent means all of the node's `boot.retries`.
    private var remaining: [String: Int] = [:]

    /// A node went down (detected, or rebooted): it is booting from now, with all its retries.
    mutating func nodeDown(_ mac: String, now: Double) {
        starts[mac] = now
        remaining[mac] = nil
    }

    /// An explicit reboot (`walt node reboot`, an image change): same as going down.
    mutating func rebootRequested(_ macs: [String], now: Double) {
        for mac in macs { nodeDown(mac, now: now) }
    }

    mutating func forget(_ mac: String) {
        starts[mac] = nil
        remaining[mac] = nil
    }

    /// The nodes due for a hard reboot now, with their retry spent; nodes seen for the first
    /// time start booting now (upstream's state at daemon start).
    mutating func due(_ nodes: [Node], booted: Set<String>, now: Double) -> [Due] {
        var due: [Due] = []
        for node in nodes where !booted.contains(node.mac) {
            let start = starts[node.mac] ?? now
            starts[node.mac] = start
            guard let timeout = node.timeout else { continue }
            let left = min(remaining[node.mac] ?? node.retries, node.retries)
            guard left > 0, now >= start + Double(timeout) else { continue }
            remaining[node.mac] = left - 1
            starts[node.mac] = now
            due.append(Due(mac: node.mac, name: node.name, retriesLeft: left - 1))
        }
        return due
    }

    /// When the next node becomes due (nil: none is watched).
    func nextDeadline(_ nodes: [Node], booted: Set<String>) -> Double? {
        nodes.compactMap { node -> Double? in
            guard !booted.contains(node.mac), let timeout = node.timeout, let start = starts[node.mac],
                  min(remaining[node.mac] ?? node.retries, node.retries) > 0 else { return nil }
            return start + Double(timeout)
        }.min()
    }
}
