import Logging
import Synchronization
import WaltStore

/// What every API method and stream handler shares: the store, the in-memory bootup
/// state (not in the database, as upstream), and the daemon's logger.
public final class DaemonState: Sendable {
    public let store: PostgresStore
    public let logger: Logger
    private let bootedMACs = Mutex<Set<String>>([])

    public init(store: PostgresStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public var booted: Set<String> { bootedMACs.withLock { $0 } }

    public func setBooted(_ mac: String, _ isBooted: Bool) {
        bootedMACs.withLock { set in
            if isBooted { set.insert(mac) } else { set.remove(mac) }
        }
    }

    /// Addresses of the server itself, from which server-only APIs (SSAPI) are accepted.
    public static func isLocalAddress(_ ip: String) -> Bool {
        ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
