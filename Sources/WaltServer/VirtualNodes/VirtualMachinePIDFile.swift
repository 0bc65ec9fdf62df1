#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `<state>/vnodes/<mac>/pid`: the QEMU a daemon started. A daemon killed without its
/// shutdown (SIGKILL, a crash) leaves its VMs running, orphaned, still emulating; the next
/// daemon ends such a VM before it boots the node again. The pid is trusted only if that
/// process is still a QEMU for this MAC (pids are reused).
struct VirtualMachinePIDFile: Sendable {
    let path: String
    let mac: String

    func record(_ pid: pid_t) {
        _ = try? FileTree.ensureContent(path, "\(pid)\n")
    }

    func clear() {
        _ = try? FileTree.unlink(path)
    }

    /// Kills the QEMU the file names, if it still runs; waits until it is gone (1 s at most).
    func killStale() {
        guard let text = try? TextFile.read(path), let pid = pid_t(text.trimmingSpaces), pid > 1,
              Self.isQEMU(commandLine: Self.commandLine(pid), mac: mac) else { return }
        kill(pid, SIGKILL)
        for _ in 0..<20 where kill(pid, 0) == 0 { usleep(50_000) }
        clear()
    }

    /// `/proc/<pid>/cmdline` with its NULs as spaces; empty if the process is gone.
    static func commandLine(_ pid: pid_t) -> String {
        ((try? TextFile.read("/proc/\(pid)/cmdline")) ?? nil).map {
            String($0.map { $0 == "\0" ? " " : $0 })
        } ?? ""
    }

    static func isQEMU(commandLine: String, mac: String) -> Bool {
        commandLine.hasPrefix(VirtualMachineSpec.program + " ") && commandLine.contains("mac=" + mac)
    }
}
