import Foundation
import Testing

/// A QEMU virtual node on a testbed with the virtual-node image (testbed.sh up --images
/// --vnode-image): `walt node create` boots it over the network (iPXE, DHCP, TFTP, the
/// kernel and initramfs, the image's root), it notifies "booted", `walt node run` reaches
/// it over SSH, `walt node console` shows its serial console and logs in, `walt node
/// reboot` restarts its VM, a daemon that crashed and starts again boots it again (and ends
/// the orphaned VM), and `walt node remove` stops it: no QEMU and no tap are left.
/// One VM at a time; the testbed's teardown kills whatever the test left in its namespace.
@Suite(.serialized, .enabled(if: Testbed.available && Testbed.nodeToolsAvailable
                                 && FileManager.default.isExecutableFile(atPath: "/usr/bin/podman")
                                 && FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-x86_64"),
                             "needs root, the boot path's packages, podman, dropbear, expect and qemu-system-x86 with ipxe-qemu (Scripts/install-deps.sh)"))
struct VirtualNodeTests {
    @Test func virtualNodeLifecycle() throws {
        let testbed = try Testbed(options: ["--images", "--vnode-image"])
        defer { testbed.down() }
        let ours = testbed.directory.appendingPathComponent("bin/walt").path
        let home = try testbed.home("alice")
        func run(_ arguments: [String], timeout: TimeInterval = 60) throws -> WaltBinary.Outcome {
            try WaltBinary.run(["netns", "exec", testbed.namespace, ours] + arguments, executable: "/usr/sbin/ip",
                               environment: ["HOME": home.path], timeout: timeout)
        }
        func booted() throws -> Bool {
            try run(["node", "show"]).stdout.split(separator: "\n")
                .contains { $0.hasPrefix("vn1 ") && $0.trimmingCharacters(in: .whitespaces).hasSuffix("yes") }
        }
        // QEMUs of this testbed: the processes of its server namespace (other tests may run VMs).
        func qemuCount() -> Int {
            let pids = (try? WaltBinary.run(["netns", "pids", testbed.namespace], executable: "/usr/sbin/ip"))?.stdout
                .split(separator: "\n") ?? []
            return pids.filter {
                ((try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8)) ?? "").hasPrefix("qemu-system")
            }.count
        }
        func taps() throws -> String {
            try testbed.inServer(["ip", "-o", "link", "show"], home: home).stdout
        }

        let create = try run(["node", "create", "vn1"], timeout: 120)
        #expect(create.status == 0, "\(create)")
        #expect(create.stdout.contains("Node vn1 is now booting your image \"pc-x86-64-default\"."), "\(create)")
        // Upstream's client ignores the result: the refusal is on stderr, the status 0.
        let again = try run(["node", "create", "vn1"])
        #expect(again.stderr == "Failed: a device with name 'vn1' already exists.\n", "\(again)")

        // TCG: the network boot takes about a minute here, a loaded CI machine more.
        #expect(try waitFor("vn1 booted", seconds: 240, testbed) { try booted() })
        #expect(try taps().contains("wvn"))
        let uname = try run(["node", "run", "vn1", "--", "uname", "-a"])
        #expect(uname.status == 0 && uname.stdout.hasPrefix("Linux vn1 ") && uname.stdout.contains("x86_64"), "\(uname)")
        let release = try run(["node", "run", "vn1", "cat", "/etc/os-release"])
        #expect(release.stdout.contains("WalT virtual node"), "\(release)")
        let show = try run(["device", "show"])
        #expect(show.stdout.split(separator: "\n").contains { $0.hasPrefix("vn1 ") && $0.contains("node (virtual)") }, "\(show)")

        // The serial console: a login prompt, root logs in, a command runs, <ctrl-a> <d> quits
        // (two keystrokes: the client, as upstream's, takes a lone <ctrl-a> as the escape).
        // busybox ash asks the terminal for the cursor position (ESC [6n) after its prompt.
        let script = testbed.directory.appendingPathComponent("console.exp")
        try """
            set timeout 30
            spawn \(ours) node console vn1
            expect "<ctrl-a> <d> to quit."
            send "\\r"
            expect "vn1 login: "
            send "root\\r"
            expect "Password: "
            send "root\\r"
            expect -re {# (\\x1b\\[6n)?$}
            send "echo console-\\$((6*7))\\r"
            expect "console-42"
            send "exit\\r"
            expect "vn1 login: "
            send "\\x01"
            sleep 0.5
            send "d"
            expect "Disconnected from console."
            expect eof
            """.write(to: script, atomically: true, encoding: .utf8)
        let console = try testbed.inServer(["expect", "-f", script.path], home: home)
        #expect(console.status == 0 && console.stdout.contains("console-42") && console.stdout.contains("Disconnected from console."),
                "\(console)")
        let logs = try run(["log", "show", "--history", "-10m:", "--streams", "virtualconsole"])
        #expect(logs.stdout.contains("vn1.virtualconsole -> b'"), "\(logs.stdout.suffix(2000))")
        #expect(logs.stdout.contains("iPXE"), "the console shows the firmware's output too")

        // Another image: a copy of the node's image with a file added, deployed with node boot
        // (set_image, then the soft reboot ends QEMU, which the daemon starts again).
        #expect(try run(["image", "duplicate", "pc-x86-64-default", "vn-v2"]).status == 0)
        let marker = testbed.directory.appendingPathComponent("vn-marker")
        try "second image\n".write(to: marker, atomically: false, encoding: .utf8)
        let copy = try run(["image", "cp", marker.path, "vn-v2:/etc/"])
        #expect(copy.status == 0, "\(copy)")
        let boot = try run(["node", "boot", "vn1", "vn-v2"], timeout: 120)
        #expect(boot.status == 0 && boot.stdout.contains("will now boot vn-v2"), "\(boot)")
        #expect(try run(["node", "wait", "vn1"], timeout: 300).status == 0)
        #expect(try run(["node", "run", "vn1", "cat", "/etc/vn-marker"]).stdout == "second image\n")
        #expect(try run(["node", "show"]).stdout.contains("vn-v2"))

        // Reboot: the VM is killed and started again, and boots again.
        let reboot = try run(["node", "reboot", "--hard", "vn1"])
        #expect(reboot.status == 0 && reboot.stdout.contains("Node vn1: rebooted ok."), "\(reboot)")
        let platform = try run(["log", "show", "--platform", "--history", "-10m:"])
        #expect(platform.stdout.contains("node vn1 is down (cause: reboot requested, method: vnode hard-reboot)"), "\(platform)")
        // The daemon dies (SIGKILL) while the VM boots again and starts on the same state: it
        // ends the VM the dead daemon left and boots the node anew, one QEMU for it.
        let restart = try testbed.script(["restart-daemon", testbed.directory.path, "--kill"])
        #expect(restart.status == 0, "\(restart)")
        #expect(try waitFor("vn1 booted again", seconds: 240, testbed) { try booted() })
        #expect(qemuCount() == 1)
        #expect(try run(["node", "run", "vn1", "hostname"]).stdout == "vn1\n")

        // Removed by the Python client 10.0 when it is installed (the same two calls).
        let remover = (try? PythonClient.locate()) ?? ours
        let remove = try WaltBinary.run(["netns", "exec", testbed.namespace, remover, "node", "remove", "vn1"],
                                        executable: "/usr/sbin/ip", environment: ["HOME": home.path])
        #expect(remove.status == 0 && remove.stderr.isEmpty, "\(remove)")
        #expect(try !run(["node", "show", "--all"]).stdout.contains("vn1"))
        #expect(try waitFor("QEMU gone", seconds: 20, testbed) { qemuCount() == 0 })
        #expect(try !taps().contains("wvn"))
        let vnodeFiles = (try? FileManager.default.contentsOfDirectory(atPath: testbed.state.appendingPathComponent("vnodes").path)) ?? []
        #expect(vnodeFiles.isEmpty, "\(vnodeFiles)")
    }

    private func waitFor(_ what: String, seconds: TimeInterval, _ testbed: Testbed,
                         _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(1_000_000)
        }
        Issue.record("timed out waiting for \(what); daemon log:\n\(testbed.log("daemon.log").suffix(2000))")
        return false
    }
}
