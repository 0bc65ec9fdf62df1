import Synchronization
import Logging
import ServiceLifecycle
import WaltCommon
import WaltStore

/// Keeps what nodes boot from in line with the database: dhcpd.conf, the DNS zone, the
/// per-node TFTP/NFS tree and the NFS exports. Rewritten at start and after every device
/// change (registration, rename, forget, netsetup, ...), each file only if its text
/// changed; the services are then restarted or reloaded through `ServiceRestarter`s.
public final class BootServices: Service, Sendable {
    public struct Paths: Sendable {
        public var stateDirectory: String
        public var runDirectory: String
        public var resolvConf = "/etc/resolv.conf"

        public init(stateDirectory: String, runDirectory: String) {
            self.stateDirectory = stateDirectory
            self.runDirectory = runDirectory
        }

        public var dhcpdConf: String { stateDirectory + "/services/dhcpd/dhcpd.conf" }
        public var namedDirectory: String { stateDirectory + "/services/named" }
        public var namedPidFile: String { runDirectory + "/named/named.pid" }
        public var nodesDirectory: String { stateDirectory + "/nodes" }
        public var tftpStatic: String { stateDirectory + "/tftp-static" }
    }

    let paths: Paths
    let config: ServerConfig
    let store: PostgresStore
    let logger: Logger
    let dhcpd: ServiceRestarter
    let named: ServiceRestarter
    let nfs: ServiceRestarter
    let nodeTree: NodeTreeWriter
    let firewall: NetSetupFirewall
    /// The NAT devices chain WALT accepts now (only the update loop touches it).
    private let natIPs = Mutex<[String]?>(nil)
    private let changes: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation
    /// The mounted images' ids by image name; filled by the image store.
    let imageIDs: @Sendable (String) -> String?

    public init(paths: Paths, config: ServerConfig, store: PostgresStore, logger: Logger,
                minimumRestartInterval: Duration = .seconds(5),
                imageIDs: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.paths = paths
        self.config = config
        self.store = store
        self.logger = logger
        self.imageIDs = imageIDs
        nodeTree = NodeTreeWriter(nodesDirectory: paths.nodesDirectory)
        firewall = NetSetupFirewall(subnet: config.waltNetAddress.subnet, interface: "walt-net", logger: logger)
        let settings = config.services
        func restarter(_ name: String, _ command: String) -> ServiceRestarter {
            ServiceRestarter(name: name, minimumInterval: minimumRestartInterval, logger: logger) {
                do {
                    let outcome = try await Subprocess.shell(command).runInBackground()
                    if !outcome.succeeded, !outcome.output.isEmpty {
                        logger.warning("\(name): \(outcome.output.split(separator: "\n").last ?? "")")
                    }
                    return outcome.exitStatus
                } catch {
                    logger.error("\(name): \(error)")
                    return -1
                }
            }
        }
        dhcpd = restarter("dhcpd", settings.dhcpdRestart)
        named = restarter("named", settings.namedRestart)
        nfs = restarter("nfs exports", settings.exportsReload)
        (changes, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a regeneration; calls made while one runs coalesce into one more.
    public func devicesChanged() {
        signal.yield()
    }

    /// Writes everything once and restarts the services (so that they run what this
    /// daemon generated, whatever ran before). Called before the daemon reports ready.
    public func prepare() async throws {
        try FileTree.createDirectories(paths.tftpStatic)
        try FileTree.ensureContent(paths.tftpStatic + "/start.ipxe", Self.retryScript)
        if config.services.firewall { await firewall.prepare() }
        try await update(forceRestart: true)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.changes {
                // Registrations come in bursts (a rack powered on): gather a moment's worth
                // into one pass. Services restart at most every 5 s anyway.
                try? await Task.sleep(for: Self.gatherDelay)
                do {
                    try await self.update(forceRestart: false)
                } catch {
                    self.logger.error("cannot update the boot services: \(error)")
                }
            }
        }
        // Going down: boards keep rebooting on tftp-static until the daemon is back.
        do {
            try await update(forceRestart: false, cleanup: true)
        } catch {
            logger.error("cannot point nodes at tftp-static: \(error)")
        }
        for restarter in [dhcpd, named, nfs] { await restarter.stop() }
        if config.services.firewall { await firewall.cleanup() }
    }

    /// One regeneration pass, from one read of the devices.
    func update(forceRestart: Bool, cleanup: Bool = false) async throws {
        let server = config.waltNetAddress
        let devices = try await NetworkDevice.load(store, subnet: server.subnet)
        let dhcpChanged = try FileTree.ensureContent(paths.dhcpdConf, DHCPDConfigFile.render(server: server, devices: devices))
        if dhcpChanged || forceRestart { await dhcpd.configurationChanged() }
        if try writeNamed(devices) || forceRestart { await named.configurationChanged() }
        let conflicts = try nodeTree.apply(
            NodeTree.directives(devices: devices, server: server, imageID: imageIDs, cleanup: cleanup))
        for path in conflicts {
            logger.warning("node tree: \(path) is in the way (not made by walt); left alone")
        }
        let exports = NFSExports(nodesDirectory: paths.nodesDirectory, subnet: server.subnet, images: [],
                                 persistPaths: NodeTree.persistPaths(devices: devices, nodesDirectory: paths.nodesDirectory))
        var exportsChanged = false
        for file in exports.files(config.services) {
            exportsChanged = try FileTree.ensureContent(file.path, file.text) || exportsChanged
        }
        if exportsChanged || forceRestart { await nfs.configurationChanged() }
        let nat = devices.filter { $0.netsetup == 1 && $0.type != "server" }.map(\.ip).sorted()
        if config.services.firewall && !cleanup && natIPs.withLock({ $0 }) != nat {
            await firewall.sync(natIPs: nat)
            natIPs.withLock { $0 = nat }
        }
    }

    /// Writes named.conf and the zones (zones ignoring their serial); true if any changed.
    private func writeNamed(_ devices: [NetworkDevice]) throws -> Bool {
        let resolv = (try? TextFile.read(paths.resolvConf)) ?? nil
        let serverIP = config.waltNetAddress.host
        let files = NamedFiles.render(
            serverIP: serverIP, devices: devices,
            forwarders: NamedFiles.forwarders(resolvConf: resolv ?? "", serverIP: serverIP),
            directory: paths.namedDirectory, pidFile: paths.namedPidFile, serial: Int(ServerClock.now()))
        var changed = false
        for (name, text) in files.zones {
            let path = paths.namedDirectory + "/" + name
            let current = (try? TextFile.read(path, limit: 64 << 20)) ?? nil
            if let current, NamedFiles.sameIgnoringSerial(current, text) { continue }
            try FileTree.ensureContent(path, text)
            changed = true
        }
        for name in try FileTree.entries(paths.namedDirectory)
        where name.hasPrefix("walt.") && name.hasSuffix(".reverse.zone") && files.zones[name] == nil {
            try FileTree.unlink(paths.namedDirectory + "/" + name)
            changed = true
        }
        return try FileTree.ensureContent(paths.namedDirectory + "/named.conf", files.conf) || changed
    }

    static let gatherDelay = Duration.milliseconds(250)

    /// What a node whose image is not ready gets over TFTP: iPXE waits and boots again.
    static let retryScript = """
        #!ipxe
        echo WalT: no image is ready for this node yet; booting again in 10 seconds.
        sleep 10
        reboot

        """
}
