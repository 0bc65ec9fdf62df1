/// How QEMU runs one virtual node: the argument vector of `qemu-system-x86_64`, from the
/// node's identity and its VM settings (`ram`, `cpu.cores`).
///
/// The VM boots as a PC from the network: no `-kernel`, the e1000's iPXE ROM does DHCP and
/// TFTP (`-boot n`), as a physical pc-x86-64 node. Its root is the node's image mount,
/// given as the read-only virtio-9p share `walt_image` (upstream's vnodes do the same);
/// `walt_node` holds the files upstream injects into mounted images (SSH keys). The serial
/// port is QEMU's stdio, without the monitor multiplexer, so every byte the console
/// client sends reaches the guest (upstream doubles Ctrl-A for `mon:stdio`). -no-reboot: a
/// guest reboot ends QEMU, and the daemon starts it again (the vnode hard-reboot).
struct VirtualMachineSpec: Equatable, Sendable {
    enum Accelerator: String, Sendable {
        case kvm, tcg
    }

    var name: String
    var mac: String
    var tap: String
    /// `<state>/nodes/<mac>/fs`: the image the node boots.
    var imageRoot: String
    /// `<state>/vnodes/<mac>/node`
    var nodeFiles: String
    var ramMegabytes: Int
    var cpuCores: Int
    var accelerator: Accelerator

    static let program = "qemu-system-x86_64"

    var arguments: [String] {
        // Under TCG every virtual CPU is a host thread emulating at full speed: one is
        // enough to boot, and leaves the machine's other cores to the rest.
        let cores = accelerator == .kvm ? max(1, cpuCores) : 1
        return [
            Self.program, "-name", name,
            // graphics=off: SeaBIOS copies the screen output of the BIOS and of the iPXE
            // ROM to the serial port, so the console shows the whole boot, not just Linux.
            "-machine", "pc,graphics=off", "-accel", accelerator.rawValue, "-cpu", accelerator == .kvm ? "host" : "max",
            "-m", String(ramMegabytes), "-smp", String(cores),
            "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none",
            "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console",
            "-no-reboot", "-boot", "n",
            "-netdev", "tap,id=walt-net,ifname=\(tap),script=no,downscript=no",
            "-device", "e1000,netdev=walt-net,mac=\(mac)",
            "-virtfs", "local,id=walt_image,path=\(imageRoot),mount_tag=walt_image,security_model=none,readonly=on",
            "-virtfs", "local,id=walt_node,path=\(nodeFiles),mount_tag=walt_node,security_model=none,readonly=on",
        ]
    }

    /// Megabytes of a `ram` setting (`512M`, `1G`); nil when it is not of that form.
    static func megabytes(_ ram: String) -> Int? {
        guard let unit = ram.last, unit == "M" || unit == "G",
              let amount = Int(ram.dropLast()), amount > 0, ram.dropLast().allSatisfy(\.isASCII) else { return nil }
        return unit == "G" ? amount * 1024 : amount
    }
}
