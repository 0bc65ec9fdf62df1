import WaltCommon

/// KVM or TCG for the virtual nodes. `/dev/kvm` alone is not enough: some hosts (this
/// project's CI, a PVM guest) expose a KVM whose guests abort or hang at boot. KVM is
/// used when `/dev/kvm` exists and a hardware-backed KVM module is loaded (`kvm_intel`,
/// `kvm_amd`); otherwise QEMU emulates (TCG: slower, a full network boot takes ~30 s).
enum AcceleratorProbe {
    static func choose(kvmDevicePresent: Bool, loadedModules: [String]) -> VirtualMachineSpec.Accelerator {
        let hardware = loadedModules.contains { $0 == "kvm_intel" || $0 == "kvm_amd" }
        return kvmDevicePresent && hardware ? .kvm : .tcg
    }

    /// This host's choice (reads `/dev/kvm` and `/sys/module`).
    static func detect() -> VirtualMachineSpec.Accelerator {
        choose(kvmDevicePresent: FileTree.exists("/dev/kvm"),
               loadedModules: (try? FileTree.entries("/sys/module")) ?? [])
    }
}
