import Logging
import Synchronization
import WaltCommon
import WaltStore

/// What every API method and stream handler shares: the store, the logs, the server's
/// identity, the in-memory bootup state (not in the database, as upstream), and the
/// daemon's logger.
public final class DaemonState: Sendable {
    public let store: PostgresStore
    public let logger: Logger
    public let server: ServerIdentity
    public let logHub: LogHub
    public let logStreams: LogStreams
    /// `/etc/walt/server.conf` as read at start (upstream reads it once too).
    public let config: ServerConfig
    /// nil on a development daemon (no server.conf).
    public let bootServices: BootServices?
    /// The keys the server reaches its nodes with (ssh).
    public let nodeKeys: NodeKeys
    /// The image store (podman); nil on a development daemon (no server.conf).
    let images: ImageStore?
    /// Hard-reboots nodes stuck booting; a service of the daemon's group.
    public let bootWatchdog = BootWatchdog()
    /// The VMs of the virtual nodes; a service of the daemon's group.
    let virtualNodes = VirtualNodes()
    /// Network scans (one at a time) and when the last one ran.
    let topology = TopologyState()
    /// The walt-net subnet, as PostgreSQL's `cidr` wants it (`192.168.183.0/24`).
    public var waltSubnet: String { config.waltNetAddress.subnet }
    public var waltNetmask: String { config.waltNetAddress.netmask }
    private let bootedMACs = Mutex<Set<String>>([])
    /// The latest bootup-notification connection of each node IP: only the latest one
    /// may mark its node down when it ends.
    private let bootupConnections = Mutex<[String: UInt64]>([:])
    private let nextConnection = Atomic<UInt64>(1)

    public convenience init(store: PostgresStore, logger: Logger, server: ServerIdentity, config: ServerConfig,
                            nodeKeys: NodeKeys, bootServices: BootServices? = nil) {
        self.init(store: store, logger: logger, server: server, config: config, nodeKeys: nodeKeys,
                  bootServices: bootServices, images: nil)
    }

    init(store: PostgresStore, logger: Logger, server: ServerIdentity, config: ServerConfig,
         nodeKeys: NodeKeys, bootServices: BootServices?, images: ImageStore?) {
        self.images = images
        self.store = store
        self.nodeKeys = nodeKeys
        self.bootServices = bootServices
        self.config = config
        self.logger = logger
        self.server = server
        logHub = LogHub(store: store, logger: logger,
                        subscriberBacklog: DaemonOptions.env("WALT_REALTIME_BACKLOG").flatMap { Int($0) }
                            ?? LogHub.defaultSubscriberBacklog)
        logStreams = LogStreams(store: store, server: server)
    }

    /// A device was added, renamed, forgotten or reconfigured: dhcpd, DNS, the node tree
    /// and the exports follow.
    public func devicesChanged() {
        bootServices?.devicesChanged()
    }

    /// Images changed (set_image, clone): returns once mounts, exports, dhcpd, DNS and the
    /// node tree follow.
    func imagesChanged() async {
        await bootServices?.updateAndWait()
    }

    public var platformLog: PlatformLog { PlatformLog(hub: logHub, streams: logStreams, logger: logger) }

    public var booted: Set<String> { bootedMACs.withLock { $0 } }

    /// Returns true if the state changed.
    @discardableResult
    public func setBooted(_ mac: String, _ isBooted: Bool) -> Bool {
        let changed = bootedMACs.withLock { set in
            isBooted ? set.insert(mac).inserted : set.remove(mac) != nil
        }
        if changed && !isBooted { bootWatchdog.nodeDown(mac) }
        return changed
    }

    /// Registers a new bootup connection from `ip`; returns its token.
    func openBootupConnection(ip: String) -> UInt64 {
        let token = nextConnection.wrappingAdd(1, ordering: .relaxed).oldValue
        bootupConnections.withLock { $0[ip] = token }
        return token
    }

    /// Ends a bootup connection; true if it was the latest one of its IP.
    func closeBootupConnection(ip: String, token: UInt64) -> Bool {
        bootupConnections.withLock { connections in
            guard connections[ip] == token else { return false }
            connections.removeValue(forKey: ip)
            return true
        }
    }

    /// Addresses of the server itself, from which server-only APIs (SSAPI) are accepted.
    public static func isLocalAddress(_ ip: String) -> Bool {
        ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
