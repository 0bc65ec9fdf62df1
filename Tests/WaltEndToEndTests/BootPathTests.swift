import Foundation
import Testing
import WaltCommon

/// The network boot path with the real services, in namespaces `Scripts/testbed/testbed.sh`
/// creates and removes: a node's DHCP request reaches isc-dhcp-server running the daemon's
/// dhcpd.conf, whose hook (our walt-dhcp-event) registers the node; then dhcpd gets its
/// fixed entry (one restart), tftpd-hpa serves the node's boot file from the daemon's tree,
/// NFS-Ganesha exports its persistent directory, and bind9 resolves its name.
@Suite(.serialized, .enabled(if: Testbed.available, "needs root, iproute2, isc-dhcp-server, tftpd-hpa, nfs-ganesha, bind9, busybox-static and libnfs-utils (Scripts/install-deps.sh)"))
struct BootPathTests {
    @Test func dhcpRegistersTheNodeThenTFTPNFSAndDNSServeIt() throws {
        let testbed = try Testbed()
        defer { testbed.down() }
        // At start: dhcpd (re)started once with the daemon's configuration, no host entry.
        #expect(try testbed.waitFor("the first dhcpd start") { testbed.restarts("dhcpd") == 1 })
        #expect(try !testbed.dhcpdConf().contains("hardware ethernet"))
        // A MAC with bytes below 0x10: dhcpd's binary-to-ascii prints them unpadded.
        let mac = "02:57:41:0a:00:01"
        let node = try testbed.script(["node", testbed.directory.path, "n1", "pc-x86-64", mac])
        #expect(node.status == 0, "\(node.stderr)")
        let ip = try String(contentsOf: testbed.directory.appendingPathComponent("n1.ip"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(ip.hasPrefix("10.213.0."))
        let name = "n1-0a0001"   // the DHCP host-name, with upstream's MAC suffix

        // Our client and the Python client 10.0, in the server's namespace, agree, once the
        // simulated node has reported that it booted.
        #expect(try testbed.waitFor("the node booted") {
            try testbed.inServer([testbed.directory.appendingPathComponent("bin/walt").path, "node", "show", "--all"],
                                 home: testbed.home("ours")).stdout.contains("LAN       yes")
        })
        let ours = try testbed.inServer([testbed.directory.appendingPathComponent("bin/walt").path,
                                         "node", "show", "--all"], home: testbed.home("ours"))
        #expect(ours.status == 0, "\(ours.stderr)")
        for expected in [name, "pc-x86-64", ip] { #expect(ours.stdout.contains(expected), "\(ours.stdout)") }
        let python = try testbed.inServer([try PythonClient.locate(), "node", "show", "--all"], home: testbed.home("python"))
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == ours.stdout)
        // The MAC, as dhcpd's hook padded it, in device show (both clients alike).
        let devices = try testbed.inServer([testbed.directory.appendingPathComponent("bin/walt").path, "device", "show"],
                                           home: testbed.home("ours"))
        #expect(devices.stdout.split(separator: "\n").contains { $0.hasPrefix(name) && $0.contains(ip) && $0.contains(mac) },
                "\(devices.stdout)")
        let pythonDevices = try testbed.inServer([try PythonClient.locate(), "device", "show"], home: testbed.home("python"))
        #expect(pythonDevices.stdout == devices.stdout)

        // dhcpd now holds the node's fixed address, after exactly one more restart (the
        // restarter waits 5 s after the first one).
        #expect(try testbed.waitFor("the node's host entry") {
            try testbed.dhcpdConf().contains("hardware ethernet \(mac);\n        fixed-address \(ip);")
                && testbed.restarts("dhcpd") == 2
        })
        // TFTP: the node asks for start.ipxe; the map file sends it to nodes/<ip>/tftp/, which
        // leads (no image mounted yet) to tftp-static's retry script.
        let fetched = testbed.directory.appendingPathComponent("fetched.ipxe").path
        let tftp = try testbed.inNode("n1", ["busybox", "tftp", "-g", "-r", "start.ipxe", "-l", fetched, "10.213.0.1"])
        #expect(tftp.status == 0, "\(tftp.stderr)")
        #expect(try String(contentsOfFile: fetched, encoding: .utf8).hasPrefix("#!ipxe\n"))
        let missing = try testbed.inNode("n1", ["busybox", "tftp", "-g", "-r", "no-such-file", "-l", fetched + ".2", "10.213.0.1"])
        #expect(missing.status != 0)

        // NFS: once the exports were reloaded, the node's persistent directory is exported
        // to it; a path that is not exported is refused.
        let persist = testbed.state.appendingPathComponent("nodes/\(mac)/persist_dirs/waltplatform")
        try "kept".write(to: persist.appendingPathComponent("hello.txt"), atomically: true, encoding: .utf8)
        #expect(try testbed.waitFor("the NFS export") {
            try testbed.inNode("n1", ["nfs-ls", "nfs://10.213.0.1\(persist.path)"]).stdout.contains("hello.txt")
        })
        #expect(try testbed.inNode("n1", ["nfs-ls", "nfs://10.213.0.1\(testbed.state.path)"]).status != 0)

        // DNS: the node's name in the walt zone.
        #expect(try testbed.waitFor("the DNS record") {
            try testbed.inNode("n1", ["busybox", "nslookup", "\(name).walt", "10.213.0.1"]).stdout.contains("Address: \(ip)")
        })
        // The node asks again: known now, dhcpd answers from its host entry and does not
        // run the hook; no restart follows.
        let renew = try testbed.script(["node", testbed.directory.path, "n1b", "pc-x86-64", "02:57:41:0a:00:02"])
        #expect(renew.status == 0, "\(renew.stderr)")
        #expect(try testbed.waitFor("the second node's host entry") {
            try testbed.dhcpdConf().contains("hardware ethernet 02:57:41:0a:00:02;") && testbed.restarts("dhcpd") == 3
        })
        #expect(testbed.restarts("dhcpd") == 3)

        // netsetup=NAT moves the node's host entry into the group whose router is the server.
        let nat = try testbed.inServer([testbed.directory.appendingPathComponent("bin/walt").path,
                                        "node", "config", name, "netsetup=NAT"], home: testbed.home("ours"))
        #expect(nat.status == 0, "\(nat.stderr)")
        #expect(try testbed.waitFor("the NAT host entry") {
            let conf = try testbed.dhcpdConf()
            guard let router = conf.range(of: "option routers 10.213.0.1;"),
                  let lan = conf.range(of: "# devices with netsetup = \"LAN\"") else { return false }
            return conf[router.upperBound..<lan.lowerBound].contains("host \(name) {")
        })
    }
}

/// One testbed (Scripts/testbed/testbed.sh) in a scratch directory, torn down by `down()`.
final class Testbed {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scripts/testbed/testbed.sh").path

    static var available: Bool {
        TestNamespace.available && ["/usr/sbin/dhcpd", "/usr/sbin/in.tftpd", "/usr/bin/ganesha.nfsd", "/usr/sbin/named",
                                    "/usr/sbin/rpcbind", "/usr/bin/busybox", "/usr/bin/nfs-ls"]
            .allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }

    let directory = URL(fileURLWithPath: "/tmp/wtb-\(UUID().uuidString.prefix(8))")
    var state: URL { directory.appendingPathComponent("state") }
    var namespace: String { (try? String(contentsOf: directory.appendingPathComponent("namespace"), encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// `options` go to `testbed.sh up` (`--images`, `--imageless-nodes ...`).
    init(options: [String] = []) throws {
        let up: WaltBinary.Outcome
        do {
            up = try script(["up", directory.path, "--walt", WaltBinary.path] + options)
        } catch {
            down()
            throw error
        }
        guard up.status == 0 else {
            down()
            throw DaemonHarness.HarnessError(message: "testbed up failed: \(up.stderr)\n\(log("daemon.log"))")
        }
    }

    func down() {
        _ = try? script(["down", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs testbed.sh with posix_spawn and waitpid (WaltCommon's Subprocess): Foundation's
    /// Process here never saw the script exit once it had started daemons with setsid.
    /// The script bounds its own waits.
    @discardableResult
    func script(_ arguments: [String]) throws -> WaltBinary.Outcome {
        let outcome = try Subprocess(executable: "/bin/bash", arguments: [Self.script] + arguments).run()
        return WaltBinary.Outcome(status: outcome.exitStatus, stdout: outcome.output, stderr: outcome.output)
    }

    func inServer(_ command: [String], home: URL) throws -> WaltBinary.Outcome {
        try WaltBinary.run(["netns", "exec", namespace] + command, executable: "/usr/sbin/ip", environment: ["HOME": home.path])
    }

    func inNode(_ node: String, _ command: [String]) throws -> WaltBinary.Outcome {
        try WaltBinary.run(["netns", "exec", "\(namespace)-\(node)"] + command, executable: "/usr/sbin/ip", timeout: 20)
    }

    /// A HOME whose ~/.walt/config points at the daemon in the server's namespace.
    func home(_ user: String) throws -> URL {
        let home = directory.appendingPathComponent("home-\(user)")
        let walt = home.appendingPathComponent(".walt")
        try FileManager.default.createDirectory(at: walt, withIntermediateDirectories: true)
        try "walt:\n    server: 127.0.0.1\n    username: \(user)\n"
            .write(to: walt.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        return home
    }

    func dhcpdConf() throws -> String {
        try String(contentsOf: state.appendingPathComponent("services/dhcpd/dhcpd.conf"), encoding: .utf8)
    }

    /// How many times the daemon ran `service`'s restart command.
    func restarts(_ service: String) -> Int {
        log("\(service)-restarts").split(separator: "\n").count
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("logs/\(name)"), encoding: .utf8)) ?? ""
    }

    /// Polls `condition` for at most `seconds` (20 by default: the restarter's pause is 5 s).
    func waitFor(_ what: String, seconds: TimeInterval = 20, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(200_000)
        }
        Issue.record("timed out waiting for \(what); daemon log:\n\(log("daemon.log").suffix(2000))")
        return false
    }
}
