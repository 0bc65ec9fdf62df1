import Testing
@testable import WaltServer
import WaltCommon

/// The pure parts of virtual nodes: MAC, address and tap choice, QEMU's argument vector,
/// the accelerator choice, the console's log lines and the PXE chain script.
@Suite struct VirtualNodeLogicTests {
    @Test func freeMACUnderQEMUPrefixSkipsTakenOnes() {
        var draws: [UInt32] = [0x0a0b0c, 0x0a0b0c, 0xff00_0001]
        let mac = VirtualNodeAddress.freeMAC(taken: ["52:54:00:0a:0b:0c"]) { draws.removeFirst() }
        // The first draw is taken; the second too; the third keeps only its 24 low bits.
        #expect(mac == "52:54:00:00:00:01")
        #expect(draws.isEmpty)
    }

    @Test func lowestFreeAddressSkipsServerAndDevices() {
        let net = IPv4Network("192.168.183.1/24")!
        #expect(VirtualNodeAddress.lowestFreeIP(network: net, taken: []) == "192.168.183.2")
        #expect(VirtualNodeAddress.lowestFreeIP(network: net, taken: ["192.168.183.2", "192.168.183.4", "10.0.0.3"])
                == "192.168.183.3")
        // The server need not be the first address.
        let middle = IPv4Network("10.0.0.2/29")!
        #expect(VirtualNodeAddress.lowestFreeIP(network: middle, taken: ["10.0.0.1"]) == "10.0.0.3")
        let full = IPv4Network("10.0.0.1/30")!
        #expect(VirtualNodeAddress.lowestFreeIP(network: full, taken: ["10.0.0.2"]) == nil)
        #expect(VirtualNodeAddress.lowestFreeIP(network: IPv4Network("10.0.0.1/32")!, taken: []) == nil)
    }

    @Test func tapNamesFitInterfaceNames() {
        let name = VirtualNodeAddress.tapName(mac: "52:54:00:ab:0c:de")
        #expect(name == "wvnab0cde")
        #expect(name.utf8.count <= 15)
    }

    @Test func qemuArgumentVector() {
        let spec = VirtualMachineSpec(name: "vn1", mac: "52:54:00:ab:0c:de", tap: "wvnab0cde",
                                      imageRoot: "/var/lib/walt/nodes/52:54:00:ab:0c:de/fs",
                                      nodeFiles: "/var/lib/walt/vnodes/52:54:00:ab:0c:de/node",
                                      ramMegabytes: 1024, cpuCores: 4, accelerator: .tcg)
        let argv = spec.arguments
        #expect(argv.first == "qemu-system-x86_64")
        func value(after option: String) -> [String] {
            argv.indices.filter { argv[$0] == option && $0 + 1 < argv.count }.map { argv[$0 + 1] }
        }
        #expect(value(after: "-name") == ["vn1"])
        #expect(value(after: "-accel") == ["tcg"])
        #expect(value(after: "-cpu") == ["max"])
        #expect(value(after: "-m") == ["1024"])
        // TCG: one virtual CPU whatever cpu.cores says.
        #expect(value(after: "-smp") == ["1"])
        #expect(value(after: "-boot") == ["n"])
        #expect(argv.contains("-no-reboot") && argv.contains("-nodefaults"))
        #expect(value(after: "-netdev") == ["tap,id=walt-net,ifname=wvnab0cde,script=no,downscript=no"])
        #expect(value(after: "-device") == ["e1000,netdev=walt-net,mac=52:54:00:ab:0c:de"])
        #expect(value(after: "-virtfs") == [
            "local,id=walt_image,path=/var/lib/walt/nodes/52:54:00:ab:0c:de/fs,mount_tag=walt_image,security_model=none,readonly=on",
            "local,id=walt_node,path=/var/lib/walt/vnodes/52:54:00:ab:0c:de/node,mount_tag=walt_node,security_model=none,readonly=on",
        ])
        #expect(value(after: "-serial") == ["chardev:console"])
        #expect(value(after: "-chardev") == ["stdio,id=console,signal=off"])
        #expect(value(after: "-monitor") == ["none"])
        var kvm = spec
        kvm.accelerator = .kvm
        #expect(kvm.arguments.contains("host") && kvm.arguments[kvm.arguments.firstIndex(of: "-smp")! + 1] == "4")
    }

    @Test func ramSettingInMegabytes() {
        #expect(VirtualMachineSpec.megabytes("512M") == 512)
        #expect(VirtualMachineSpec.megabytes("2G") == 2048)
        for bad in ["", "M", "512", "512K", "-1G", "0M", "1.5G", "١G"] {
            #expect(VirtualMachineSpec.megabytes(bad) == nil, "\(bad)")
        }
    }

    @Test func kvmOnlyWhenHardwareBacked() {
        #expect(AcceleratorProbe.choose(kvmDevicePresent: true, loadedModules: ["kvm", "kvm_intel"]) == .kvm)
        #expect(AcceleratorProbe.choose(kvmDevicePresent: true, loadedModules: ["kvm", "kvm_amd"]) == .kvm)
        // This project's CI: /dev/kvm from a PVM host, whose guests hang.
        #expect(AcceleratorProbe.choose(kvmDevicePresent: true, loadedModules: ["kvm", "kvm_pvm"]) == .tcg)
        #expect(AcceleratorProbe.choose(kvmDevicePresent: false, loadedModules: ["kvm", "kvm_intel"]) == .tcg)
    }

    @Test func consoleChunksAsBytesLiterals() {
        #expect(ConsoleFraming.lines([]) == [])
        #expect(ConsoleFraming.lines(Array("vn1 login: ".utf8)) == ["b'vn1 login: '"])
        #expect(ConsoleFraming.lines([0x1b, 0x63, 0x0d, 0x0a, 0x27, 0xff]) == [#"b"\x1bc\r\n'\xff""#])
        let long = ConsoleFraming.lines([UInt8](repeating: 0x41, count: 4096 * 2 + 3))
        #expect(long.count == 3)
        #expect(long[0] == "b'" + String(repeating: "A", count: 4096) + "'")
        #expect(long[2] == "b'AAA'")
    }

    @Test func tapCommands() {
        let tap = TapDevice(name: "wvn000001")
        #expect(tap.creation == [["tuntap", "add", "dev", "wvn000001", "mode", "tap"],
                                 ["link", "set", "dev", "wvn000001", "master", "walt-net"],
                                 ["link", "set", "dev", "wvn000001", "up"]])
        #expect(tap.removal == ["link", "del", "dev", "wvn000001"])
    }

    @Test func stalePIDOnlyForThisNodesQEMU() {
        let mac = "52:54:00:ab:0c:de"
        #expect(VirtualMachinePIDFile.isQEMU(
            commandLine: "qemu-system-x86_64 -name vn1 -device e1000,netdev=walt-net,mac=52:54:00:ab:0c:de ", mac: mac))
        #expect(!VirtualMachinePIDFile.isQEMU(
            commandLine: "qemu-system-x86_64 -name vn2 -device e1000,netdev=walt-net,mac=52:54:00:00:00:01 ", mac: mac))
        #expect(!VirtualMachinePIDFile.isQEMU(commandLine: "sleep mac=52:54:00:ab:0c:de", mac: mac))
        #expect(!VirtualMachinePIDFile.isQEMU(commandLine: "", mac: mac))
    }

    @Test func pxeChainScriptAsksForTheWaltClassThenStartIPXE() {
        let lines = PXEChainScript.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!ipxe")
        #expect(lines.contains("set user-class walt.node.pc-x86-64"))
        #expect(lines.contains("chain tftp://${next-server}/start.ipxe || goto failed"))
        // dhcpd.conf names this file for x86 PXE clients.
        #expect(DHCPDConfigFile.render(server: IPv4Network("10.0.0.1/24")!, devices: [])
            .contains("filename \"\(PXEChainScript.path)\";"))
    }
}
