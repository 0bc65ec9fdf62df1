/// Which images are mounted and which wait to be unmounted (upstream store.py's mount
/// bookkeeping), as a value: `plan` is a pure function of the images in use and the clock.
///
/// An image no node uses any more stays mounted for a grace period: a node rebooting onto
/// another image may still run the old image's `/bin/walt-reboot`. The first pass that
/// finds it unused sets its deadline; a later pass past the deadline unmounts it; using it
/// again before then cancels the deadline.
struct ImageMounts: Sendable, Equatable {
    /// Upstream's `MOUNT_GRACE_TIME` and `MOUNT_GRACE_TIME_MARGIN`, in seconds.
    static let defaultGrace = 60.0
    static let wakeMargin = 10.0

    private(set) var mounted: Set<String> = []
    private(set) var deadlines: [String: Double] = [:]
    var grace = Self.defaultGrace
    var margin = Self.wakeMargin

    struct Plan: Sendable, Equatable {
        var toMount: Set<String>
        var toUnmount: Set<String>
        /// What the NFS exports list during this pass: mounted or about to be, minus what
        /// is about to go (exports go before the unmount, or the NFS server holds the mount).
        var exported: Set<String>
        var isEmpty: Bool { toMount.isEmpty && toUnmount.isEmpty }
    }

    /// The next pass for `needed` (ids of images nodes use) at time `now`; records deadlines.
    mutating func plan(needed: Set<String>, now: Double) -> Plan {
        for id in needed { deadlines[id] = nil }
        var toUnmount: Set<String> = []
        for id in mounted.subtracting(needed) {
            if let deadline = deadlines[id] {
                if deadline < now { toUnmount.insert(id) }
            } else {
                deadlines[id] = now + grace
            }
        }
        let toMount = needed.subtracting(mounted)
        return Plan(toMount: toMount, toUnmount: toUnmount, exported: mounted.union(toMount).subtracting(toUnmount))
    }

    /// Everything goes (the daemon stops).
    mutating func planCleanup() -> Plan {
        Plan(toMount: [], toUnmount: mounted, exported: [])
    }

    mutating func didMount(_ id: String) { mounted.insert(id) }

    mutating func didUnmount(_ id: String) {
        mounted.remove(id)
        deadlines[id] = nil
    }

    /// When a pass must run again to unmount what waits: the first deadline plus a margin.
    var nextWake: Double? {
        deadlines.values.min().map { $0 + margin }
    }
}
