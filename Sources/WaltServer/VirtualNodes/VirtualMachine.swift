#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import Synchronization
import WaltCommon
import WaltStore

/// One virtual node's QEMU, supervised as upstream's `walt-virtual-node --managed`: started
/// on its tap, started again whenever it ends (a guest reboot, a hard reboot, a crash)
/// until the node is stopped; its serial output goes to the node's `virtualconsole` log
/// stream, and console keys go to its input.
final class VirtualMachine: Sendable {
    /// What one run of the VM needs; read again at every start (settings may change).
    struct Launch: Sendable {
        var spec: VirtualMachineSpec
        /// Seconds to wait before booting (`boot.delay`); nil: random, 1 to 10 s, as
        /// upstream, so that vnodes started together do not boot in lockstep.
        var bootDelay: Int?
        var pidFile: VirtualMachinePIDFile
    }

    private struct Running {
        var pid: pid_t?
        var input: NIOAsyncChannelOutboundWriter<ByteBuffer>?
        var stopping = false
    }

    let mac: String
    private let logger: Logger
    private let console: @Sendable ([UInt8]) async -> Void
    private let running = Mutex(Running())
    private let supervisor = Mutex<Task<Void, Never>?>(nil)

    init(mac: String, logger: Logger, console: @escaping @Sendable ([UInt8]) async -> Void) {
        self.mac = mac
        self.logger = logger
        self.console = console
    }

    /// Starts the supervision loop; `launch` is asked for the VM's parameters before each
    /// boot (nil: the node is gone, the loop ends).
    func start(launch: @escaping @Sendable () async -> Launch?) {
        let task = Task { [self] in
            while !running.withLock({ $0.stopping }) {
                guard let next = await launch() else { break }
                await bootOnce(next)
                // A VM that fails at once (no tap, QEMU missing) is not restarted in a
                // tight loop.
                try? await Task.sleep(for: .seconds(1))
            }
        }
        supervisor.withLock { $0 = task }
    }

    /// Ends the VM for good and waits until its QEMU and its tap are gone.
    func stop() async {
        let pid = running.withLock { state -> pid_t? in
            state.stopping = true
            return state.pid
        }
        if let pid { kill(pid, SIGTERM) }
        let task = supervisor.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// Upstream's vnode hard-reboot: QEMU is killed; the loop boots the VM again.
    func hardReboot() {
        if let pid = running.withLock({ $0.pid }) { kill(pid, SIGTERM) }
    }

    /// Keys of `walt node console`, raw to the serial port; dropped while no VM runs.
    func input(_ bytes: [UInt8]) async {
        guard let writer = running.withLock({ $0.input }) else { return }
        try? await writer.write(ByteBuffer(bytes: bytes))
    }

    private func bootOnce(_ launch: Launch) async {
        let delay = launch.bootDelay ?? Int.random(in: 1...10)
        if delay > 0 {
            await console(Array("waiting for \(delay)s\r\n".utf8))
            try? await Task.sleep(for: .seconds(delay))
            if running.withLock({ $0.stopping }) { return }
        }
        launch.pidFile.killStale()
        let tap = TapDevice(name: launch.spec.tap)
        do {
            try tap.create()
        } catch {
            logger.error("vnode \(launch.spec.name): \(error)")
            await console(Array("Cannot start the VM: \(error)\r\n".utf8))
            return
        }
        defer { tap.remove() }
        let argv = launch.spec.arguments
        await console(Array(("Starting...\r\n" + argv.joined(separator: " ") + "\r\n").utf8))
        let process: SessionProcess
        do {
            process = try SessionProcess.start(argv, terminal: nil, term: nil)
        } catch {
            logger.error("vnode \(launch.spec.name): \(error)")
            await console(Array("Cannot start the VM: \(error)\r\n".utf8))
            return
        }
        launch.pidFile.record(process.pid)
        let stopNow = running.withLock { state -> Bool in
            state.pid = process.pid
            return state.stopping
        }
        if stopNow { process.signal(SIGTERM) }
        await relay(process)
        let status = (try? await Subprocess.waitInBackground(for: process.pid)) ?? -1
        launch.pidFile.clear()
        running.withLock {
            $0.pid = nil
            $0.input = nil
        }
        logger.info("vnode \(launch.spec.name): QEMU ended (status \(status))")
    }

    /// QEMU's output to the console stream until it closes, in chunks gathered for 50 ms
    /// (as upstream, so that a boot is not stored byte by byte).
    private func relay(_ process: SessionProcess) async {
        guard case .pipes(let input, let output) = process.streams,
              let channel = try? await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptors(input: output, output: input, channelInitializer: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                })
        else {
            process.signal(SIGKILL)
            return
        }
        let pending = PendingBytes()
        let console = self.console
        try? await channel.executeThenClose { inbound, outbound in
            running.withLock { $0.input = outbound }
            await withTaskGroup(of: Void.self) { group in
                let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                group.addTask {
                    for await _ in wakes {
                        try? await Task.sleep(for: .milliseconds(50))
                        let bytes = pending.bytes.withLock { buffer in defer { buffer.removeAll() }; return buffer }
                        if !bytes.isEmpty { await console(bytes) }
                    }
                    let rest = pending.bytes.withLock { $0 }
                    if !rest.isEmpty { await console(rest) }
                }
                do {
                    for try await chunk in inbound {
                        pending.bytes.withLock { $0.append(contentsOf: chunk.readableBytesView) }
                        wake.yield()
                    }
                } catch {
                    // EOF or EIO once QEMU is gone.
                }
                wake.finish()
            }
            running.withLock { $0.input = nil }
        }
    }
}

/// Console bytes read and not logged yet, shared by the reader and the 50 ms flusher.
private final class PendingBytes: Sendable {
    let bytes = Mutex<[UInt8]>([])
}
