#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Synchronization
import WaltCommon
import WaltStore

/// The virtual nodes of this server (server.md §4.5): one supervised QEMU per node of
/// `devices.virtual`, started with the daemon and stopped with it (a service of its
/// group, stopped before the boot services unmount the images), created and removed by
/// `walt node create/remove`, hard-rebooted by killing the VM, and reached by `walt node
/// console` through the `virtualconsole` log stream and `vnode_console_input`.
/// Only a daemon with boot services (a server.conf) runs VMs.
final class VirtualNodes: Service, Sendable {
    static let model = "pc-x86-64"
    static let defaultRAM = "512M"
    static let defaultCores = 4

    private let daemon = Mutex<DaemonState?>(nil)
    private let machines = Mutex<[String: VirtualMachine]>([:])
    private let consoleStreams = Mutex<[String: Int]>([:])
    let accelerator = AcceleratorProbe.detect()

    func attach(_ daemon: DaemonState) {
        self.daemon.withLock { $0 = daemon }
    }

    /// True when this daemon can run VMs; otherwise the reason, for the client.
    var unavailableReason: String? {
        guard let daemon = daemon.withLock({ $0 }), daemon.bootServices != nil, daemon.images != nil else {
            return "this server has no image store (no server.conf)"
        }
        if Subprocess.firstExecutable(among: ["/usr/bin/" + VirtualMachineSpec.program,
                                              "/usr/local/bin/" + VirtualMachineSpec.program]) == nil {
            return "\(VirtualMachineSpec.program) is not installed on the server (apt-get install qemu-system-x86 ipxe-qemu)"
        }
        return nil
    }

    func run() async throws {
        if let daemon = daemon.withLock({ $0 }), daemon.bootServices != nil {
            do {
                let macs = try await DeviceRepository(store: daemon.store).virtualNodeMACs()
                if let reason = unavailableReason, !macs.isEmpty {
                    daemon.logger.error("\(macs.count) virtual node(s) stay down: \(reason)")
                } else if !macs.isEmpty {
                    daemon.logger.info("starting \(macs.count) virtual node(s) (\(accelerator.rawValue))")
                    for mac in macs { start(mac: mac) }
                }
            } catch {
                daemon.logger.error("cannot list the virtual nodes: \(error)")
            }
        }
        try? await gracefulShutdown()
        let all = machines.withLock { machines in defer { machines.removeAll() }; return Array(machines.values) }
        await withTaskGroup(of: Void.self) { group in
            for machine in all { group.addTask { await machine.stop() } }
        }
    }

    /// Starts the VM of a recorded virtual node (nothing if it runs already).
    func start(mac: String) {
        guard let daemon = daemon.withLock({ $0 }) else { return }
        let machine = VirtualMachine(mac: mac, logger: daemon.logger) { [weak self] bytes in
            await self?.console(mac: mac, bytes)
        }
        let fresh = machines.withLock { machines -> Bool in
            guard machines[mac] == nil else { return false }
            machines[mac] = machine
            return true
        }
        guard fresh else { return }
        machine.start { [weak self] in await self?.launch(mac: mac) }
    }

    /// Stops a node's VM for good (remove_vnode) and removes its files.
    func stop(mac: String) async {
        let machine = machines.withLock { $0.removeValue(forKey: mac) }
        await machine?.stop()
        if let daemon = daemon.withLock({ $0 }) {
            try? FileTree.removeTree(Self.directory(daemon, mac: mac))
        }
    }

    /// False when the node has no VM here.
    func hardReboot(mac: String) -> Bool {
        guard let machine = machines.withLock({ $0[mac] }) else { return false }
        machine.hardReboot()
        return true
    }

    func input(mac: String, _ bytes: [UInt8]) async {
        await machines.withLock({ $0[mac] })?.input(bytes)
    }

    static func directory(_ daemon: DaemonState, mac: String) -> String {
        daemon.nodeKeys.stateDirectory + "/vnodes/" + mac
    }

    /// The VM's parameters for its next boot, from the node's row and settings; nil once
    /// the node is gone. Also refreshes the files of its `walt_node` share.
    private func launch(mac: String) async -> VirtualMachine.Launch? {
        guard let daemon = daemon.withLock({ $0 }) else { return nil }
        let node: DeviceInfo
        do {
            guard let found = try await DeviceQueries(daemon: daemon).info(macs: [mac]).first, found.virtual else { return nil }
            node = found
        } catch {
            daemon.logger.error("vnode \(mac): cannot read its settings: \(error)")
            return VirtualMachine.Launch(spec: spec(daemon, mac: mac, name: mac, conf: [:]), bootDelay: 5,
                                         pidFile: pidFile(daemon, mac: mac))
        }
        var conf: [String: PyValue] = [:]
        for (key, value) in node.conf { if let key = key.stringValue { conf[key] = value } }
        let delay: Int? = switch conf["boot.delay"] {
        case .int(let value)?: value.intValue
        case .str(let text)?: Int(text)
        default: nil
        }
        return VirtualMachine.Launch(spec: spec(daemon, mac: mac, name: node.name, conf: conf), bootDelay: delay,
                                     pidFile: pidFile(daemon, mac: mac))
    }

    private func pidFile(_ daemon: DaemonState, mac: String) -> VirtualMachinePIDFile {
        VirtualMachinePIDFile(path: Self.directory(daemon, mac: mac) + "/pid", mac: mac)
    }

    private func spec(_ daemon: DaemonState, mac: String, name: String, conf: [String: PyValue]) -> VirtualMachineSpec {
        let nodeFiles = Self.directory(daemon, mac: mac) + "/node"
        do {
            try FileTree.createDirectories(nodeFiles, mode: 0o700)
            try daemon.nodeKeys.ensure()
            // Links, not copies: the dropbear key is binary, and the state directory is
            // one file system. Only these two files: ssh/ also holds the server's
            // private client key.
            for (source, target) in [(daemon.nodeKeys.dropbearHostKey, "dropbear_ecdsa_host_key"),
                                     (daemon.nodeKeys.clientKey + ".pub", "authorized_keys")] {
                let path = nodeFiles + "/" + target
                _ = unlink(path)
                if link(source, path) != 0 {
                    daemon.logger.error("vnode \(name): cannot link \(source): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            daemon.logger.error("vnode \(name): cannot prepare its files: \(error)")
        }
        let ram = conf["ram"]?.stringValue.flatMap(VirtualMachineSpec.megabytes) ?? 512
        let cores: Int = switch conf["cpu.cores"] {
        case .int(let value)?: value.intValue ?? Self.defaultCores
        default: Self.defaultCores
        }
        return VirtualMachineSpec(
            name: name, mac: mac, tap: VirtualNodeAddress.tapName(mac: mac),
            imageRoot: daemon.nodeKeys.stateDirectory + "/nodes/" + mac + "/fs", nodeFiles: nodeFiles,
            ramMegabytes: ram, cpuCores: cores, accelerator: accelerator)
    }

    /// Console output as lines of the node's `virtualconsole` stream (mode chunk).
    private func console(mac: String, _ bytes: [UInt8]) async {
        guard let daemon = daemon.withLock({ $0 }) else { return }
        var id = consoleStreams.withLock { $0[mac] }
        if id == nil {
            id = try? await LogRepository(store: daemon.store)
                .streamID(issuerMAC: mac, name: ConsoleFraming.streamName, mode: "chunk")
            consoleStreams.withLock { $0[mac] = id }
        }
        guard let id else { return }
        let now = ServerClock.now()
        await daemon.logHub.accept(streamID: id, lines: ConsoleFraming.lines(bytes).map { ($0, now) })
    }

    /// A node forgotten and recorded again gets a new stream id.
    func forgetConsoleStream(mac: String) {
        consoleStreams.withLock { _ = $0.removeValue(forKey: mac) }
    }
}
