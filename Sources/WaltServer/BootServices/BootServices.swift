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
    /// Mounts the images nodes boot (nil: no image store, nothing mounted).
    let images: ImageMounter?
    /// Passes asked for by `updateAndWait` and passes done, with who waits for which.
    private let passes = Mutex<(requested: Int, completed: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, 0, []))
    /// The pass planned for when an unused image's grace time ends.
    private let wake = Mutex<Task<Void, Never>?>(nil)

    convenience init(paths: Paths, config: ServerConfig, store: PostgresStore, logger: Logger,
                     minimumRestartInterval: Duration = .seconds(5), images: ImageMounter?) {
        self.init(paths: paths, config: config, store: store, logger: logger,
                  minimumRestartInterval: minimumRestartInterval,
                  imageIDs: { [images] in images?.mountedID($0) }, images: images)
    }

    public convenience init(paths: Paths, config: ServerConfig, store: PostgresStore, logger: Logger,
                            minimumRestartInterval: Duration = .seconds(5),
                            imageIDs: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.init(paths: paths, config: config, store: store, logger: logger,
                  minimumRestartInterval: minimumRestartInterval, imageIDs: imageIDs, images: nil)
    }

    private init(paths: Paths, config: ServerConfig, store: PostgresStore, logger: Logger,
                 minimumRestartInterval: Duration, imageIDs: @escaping @Sendable (String) -> String?,
                 images: ImageMounter?) {
        self.paths = paths
        self.config = config
        self.store = store
        self.logger = logger
        self.imageIDs = imageIDs
        self.images = images
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

    /// Asks for a pass and returns once one that started after the call has finished
    /// (`set_image`: the image is mounted before the client reboots the nodes).
    public func updateAndWait() async {
        let ticket = passes.withLock { state in
            state.requested += 1
            return state.requested
        }
        signal.yield()
        await withCheckedContinuation { continuation in
            let done = passes.withLock { state in
                if state.completed >= ticket { return true }
                state.waiters.append((ticket, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Records that the passes asked for up to `ticket` are done, and wakes their waiters.
    private func completePasses(upTo ticket: Int) {
        let ready = passes.withLock { state in
            state.completed = max(state.completed, ticket)
            let ready = state.waiters.filter { $0.0 <= ticket }
            state.waiters.removeAll { $0.0 <= ticket }
            return ready.map(\.1)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Writes everything once and restarts the services (so that they run what this
    /// daemon generated, whatever ran before). Called before the daemon reports ready.
    public func prepare() async throws {
        try FileTree.createDirectories(paths.tftpStatic)
        try FileTree.ensureContent(paths.tftpStatic + "/start.ipxe", Self.retryScript)
        try PXEChainScript.install(stateDirectory: paths.stateDirectory)
        if config.services.firewall { await firewall.prepare() }
        try await update(forceRestart: true)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.changes {
                // Registrations come in bursts (a rack powered on): gather a moment's worth
                // into one pass. Services restart at most every 5 s anyway.
                try? await Task.sleep(for: Self.gatherDelay)
                let ticket = self.passes.withLock { $0.requested }
                do {
                    try await self.update(forceRestart: false)
                } catch {
                    self.logger.error("cannot update the boot services: \(error)")
                }
                self.completePasses(upTo: ticket)
            }
        }
        wake.withLock { $0?.cancel() }
        // Going down: boards keep rebooting on tftp-static until the daemon is back.
        do {
            try await update(forceRestart: false, cleanup: true)
        } catch {
            logger.error("cannot point nodes at tftp-static: \(error)")
        }
        completePasses(upTo: Int.max)
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
        // As upstream: going down, nodes leave their images before the images go.
        if cleanup { try writeNodeTree(devices, cleanup: true) }
        if let images {
            // Mount new images, export, then unmount old ones (the NFS server must let go first).
            try await images.update(inUse: try await imagesInUse(), now: ServerClock.now(), cleanup: cleanup) { exported in
                if try writeExports(devices, images: exported) || forceRestart {
                    await nfs.configurationChanged()
                    if cleanup || exported.count < images.mounted.count { await nfs.waitUntilCurrent() }
                }
            }
            planWake(images.nextWake)
        } else if try writeExports(devices, images: []) || forceRestart {
            await nfs.configurationChanged()
        }
        if !cleanup { try writeNodeTree(devices, cleanup: false) }
        let nat = devices.filter { $0.netsetup == 1 && $0.type != "server" }.map(\.ip).sorted()
        if config.services.firewall && !cleanup && natIPs.withLock({ $0 }) != nat {
            await firewall.sync(natIPs: nat)
            natIPs.withLock { $0 = nat }
        }
    }

    /// Applies the node tree (TFTP and NFS links of each node).
    private func writeNodeTree(_ devices: [NetworkDevice], cleanup: Bool) throws {
        let conflicts = try nodeTree.apply(
            NodeTree.directives(devices: devices, server: config.waltNetAddress, imageID: imageIDs, cleanup: cleanup))
        for path in conflicts {
            logger.warning("node tree: \(path) is in the way (not made by walt); left alone")
        }
    }

    /// Writes the NFS exports; true if a file changed.
    private func writeExports(_ devices: [NetworkDevice], images: [NFSExports.Image]) throws -> Bool {
        let exports = NFSExports(nodesDirectory: paths.nodesDirectory, subnet: config.waltNetAddress.subnet, images: images,
                                 persistPaths: NodeTree.persistPaths(devices: devices, nodesDirectory: paths.nodesDirectory))
        var changed = false
        for file in exports.files(config.services) {
            changed = try FileTree.ensureContent(file.path, file.text) || changed
        }
        return changed
    }

    /// The images nodes boot (all nodes, as upstream's `get_images_in_use`).
    private func imagesInUse() async throws -> Set<String> {
        let result = try await store.query("SELECT DISTINCT image FROM nodes WHERE image IS NOT NULL", idempotent: true)
        return Set(result.rows.compactMap { $0["image"] })
    }

    /// Plans a pass for when an unused image may be unmounted (replacing any plan).
    private func planWake(_ time: Double?) {
        let task = time.map { time in
            Task { [signal] in
                let delay = max(0, time - ServerClock.now())
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                if !Task.isCancelled { signal.yield() }
            }
        }
        wake.withLock { current in
            current?.cancel()
            current = task
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
