import Foundation
import Testing

/// `walt device config` / `walt node config` against our daemon: the official Python client
/// 10.0 and our `walt` set and read the same settings, get the same texts and errors, and a
/// device of unknown type becomes a switch. Then the scripting API's `node.config`.
@Suite(.serialized) struct DeviceConfigTests {
    private func ours(_ arguments: [String], home: URL) throws -> WaltBinary.Outcome {
        try WaltBinary.run(arguments, personality: "walt", environment: ["HOME": home.path])
    }

    /// Both clients, same stdout, stderr and status; returns the Python client's outcome.
    @discardableResult
    private func expectSame(_ arguments: [String], python: PythonClient,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> WaltBinary.Outcome {
        let theirs = try python.run(arguments)
        let mine = try ours(arguments, home: python.home)
        let command = arguments.joined(separator: " ")
        #expect(mine.stdout == theirs.stdout, "stdout of walt \(command)", sourceLocation: sourceLocation)
        #expect(mine.stderr == theirs.stderr, "stderr of walt \(command)", sourceLocation: sourceLocation)
        #expect(mine.status == theirs.status, "status of walt \(command)", sourceLocation: sourceLocation)
        return theirs
    }

    /// Registers a node in walt-net (node-123456), a node outside it (node-000009) and a
    /// device of unknown type (unknown-334455).
    private func registerDevices(_ daemon: DaemonHarness) throws {
        for lease in [
            ["commit", "walt.node.rpi-3-b", "", "192.168.152.7", "b8:27:eb:12:34:56", "", "0", "unknown"],
            ["commit", "walt.node.rpi-3-b", "", "192.168.183.9", "b8:27:eb:00:00:09", "", "0", "unknown"],
            ["commit", "", "", "192.168.152.30", "00:11:22:33:44:55", "", "0", "unknown"],
        ] {
            let outcome = try daemon.dhcpEvent(lease)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
    }

    /// The cells of the `walt device show` row of `name`.
    static func row(_ name: String, in table: String) -> [String] {
        let line = table.split(separator: "\n").first { $0.hasPrefix(name + " ") } ?? ""
        return line.split(separator: " ").map(String.init)
    }

    static let nodeDefaults = """
        Node node-123456 has the following config applied:
        boot.retries=9
        boot.timeout=180
        expose=none
        kexec.allow=true
        mount.persist=true
        netsetup=LAN


        """

    @Test func testSetAndGet_pythonClientAndOursAgree() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        try registerDevices(daemon)

        // Defaults, read by both clients.
        let defaults = try expectSame(["node", "config", "node-123456"], python: alice)
        #expect(defaults.stdout == Self.nodeDefaults)
        #expect(defaults.status == 0)

        // Set with the Python client, read with ours; set with ours, read with Python.
        let set = try alice.run(["node", "config", "node-123456", "netsetup=NAT", "boot.timeout=none"])
        #expect(set.stdout == "Done. Reboot node(s) to see new settings in effect.\n")
        #expect(set.stderr.isEmpty && set.status == 0)
        let mineSet = try ours(["node", "config", "node-123456", "boot.retries=3"], home: alice.home)
        #expect(mineSet.stdout == "Done.\n")
        #expect(mineSet.stderr.isEmpty && mineSet.status == 0)
        let after = try expectSame(["node", "config", "node-123456"], python: alice)
        #expect(after.stdout == Self.nodeDefaults.replacingOccurrences(of: "netsetup=LAN", with: "netsetup=NAT")
            .replacingOccurrences(of: "boot.timeout=180", with: "boot.timeout=none")
            .replacingOccurrences(of: "boot.retries=9", with: "boot.retries=3"))
        let show = try expectSame(["device", "show"], python: alice)
        #expect(Self.row("node-123456", in: show.stdout) == ["node-123456", "192.168.152.7", "b8:27:eb:12:34:56", "node", "(physical)", "NAT"],
                "\(show.stdout)")

        // Refusals: same words on stderr from the server, nothing changed, exit 0 as upstream.
        let refusals: [([String], String)] = [
            (["node", "config", "node-123456", "foo=1"], "Unknown setting 'foo'. See: 'walt help show device-config'\n"),
            (["node", "config", "node-123456", "netsetup"],
             "Please provide settings as `<setting name>=<setting value>` arguments.\n"),
            (["node", "config", "node-123456", "netsetup=WAN"], "Failed: netsetup value should be 'NAT' or 'LAN'.\n"),
            (["node", "config", "node-123456", "boot.timeout=30"],
             "Failed: A boot timeout of 30s is probably too small for some OS images.\n"
                + "        Only \"none\" and values higher than 60 are allowed for this setting.\n"),
            (["node", "config", "node-123456", "kexec.allow=maybe"],
             "Failed: setting 'kexec.allow' only allows values 'true' or 'false'.\n"),
            (["node", "config", "node-123456", "ram=1G"],
             "Failed: Node node-123456 is not virtual, so 'ram' setting is not supported.\n"),
            (["node", "config", "node-123456", "lldp.explore=true"],
             "Failed: device node-123456 is not a switch, so 'lldp.explore' setting cannot be applied.\n"),
            (["node", "config", "node-123456", "type=switch"],
             "Failed: setting 'type' can only be applied to unknown devices.\n"),
            (["node", "config", "all-nodes", "netsetup=LAN"],
             "Failed: Device node-000009 is not a device managed inside walt-net.\n"),
            (["device", "config", "all-devices", "kexec.allow=true"],
             "Failed: devices unknown-334455 and walt-server are not  nodes, so they do not support the 'kexec.allow' setting.\n"),
            (["device", "config", "unknown-334455", "type=router"], "Failed: setting 'type' only allows value 'switch'.\n"),
            (["device", "config", "unknown-334455", "expose=http"],
             "Failed: 'http' is not a valid value for option 'expose'.\n"
                + "        Use for example '80:8088' (device port 80 <-> server port 8088), or 'none'.\n"
                + "        Several redirects are possible, e.g., '80:8088,443:8443'.\n"),
            (["device", "config", "no-such-device"], "No device with name 'no-such-device' found.\n"),
            (["node", "config", "unknown-334455"], "unknown-334455 is not a node, it is a unknown.\n"),
        ]
        for (arguments, message) in refusals {
            let outcome = try expectSame(arguments, python: alice)
            #expect(outcome.stderr == message, "walt \(arguments.joined(separator: " "))")
            #expect(outcome.stdout.isEmpty && outcome.status == 0, "walt \(arguments.joined(separator: " "))")
        }
        #expect(try expectSame(["node", "config", "node-123456"], python: alice).stdout == after.stdout)
        try expectSame(["device", "config", "all-devices"], python: alice)
        try expectSame(["device", "config", "server"], python: alice)
    }

    @Test func testTypeSwitch_unknownDeviceBecomesASwitch() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        try registerDevices(daemon)
        let second = try daemon.dhcpEvent(["commit", "", "", "192.168.152.31", "00:11:22:33:44:66", "", "0", "unknown"])
        #expect(second.status == 0)

        let unknown = try expectSame(["device", "config", "unknown-334455"], python: alice)
        #expect(unknown.stdout == """
            Unknown device unknown-334455 has the following config applied:
            expose=none
            netsetup=LAN
            type=unknown


            """)
        // Switch settings may come with type=switch: the device is still unknown while checked.
        let converted = try alice.run(["device", "config", "unknown-334455", "type=switch", "snmp.version=2",
                                       "snmp.community=public", "lldp.explore=true"])
        #expect(converted.stdout == "Renaming unknown-334455 to switch-334455 for clarity.\nDone.\n")
        #expect(converted.stderr.isEmpty && converted.status == 0)
        let mine = try ours(["device", "config", "unknown-334466", "type=switch"], home: alice.home)
        #expect(mine.stdout == "Renaming unknown-334466 to switch-334466 for clarity.\nDone.\n")
        #expect(mine.stderr.isEmpty && mine.status == 0)

        let show = try expectSame(["device", "show"], python: alice)
        #expect(Self.row("switch-334455", in: show.stdout) == ["switch-334455", "192.168.152.30", "00:11:22:33:44:55", "switch", "LAN"],
                "\(show.stdout)")
        #expect(!show.stdout.contains("could not detect their type"), "\(show.stdout)")
        let switchConfig = try expectSame(["device", "config", "switch-334455"], python: alice)
        #expect(switchConfig.stdout == """
            Switch switch-334455 has the following config applied:
            expose=none
            lldp.explore=true
            netsetup=LAN
            poe.reboots=false
            snmp.community=public
            snmp.version=2


            """)
        // Now a switch: type no longer applies, poe.reboots does (lldp.explore is stored).
        let again = try expectSame(["device", "config", "switch-334455", "type=switch"], python: alice)
        #expect(again.stderr == "Failed: setting 'type' can only be applied to unknown devices.\n")
        let poe = try alice.run(["device", "config", "switch-334455", "poe.reboots=true"])
        #expect(poe.stdout == "Done.\n" && poe.stderr.isEmpty)
        let lldpMissing = try expectSame(["device", "config", "switch-334466", "lldp.explore=true"], python: alice)
        #expect(lldpMissing.stderr
                == "Failed: cannot set 'lldp.explore' to true unless 'snmp.version' and 'snmp.community' are defined too.\n")
        try expectSame(["device", "config", "all-switches"], python: alice)
        try expectSame(["device", "config", "all-devices"], python: alice)
    }

    @Test func testPythonAPI_nodeConfig() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        try registerDevices(daemon)
        let python = URL(fileURLWithPath: alice.executable).deletingLastPathComponent().appendingPathComponent("python").path
        let script = """
            from walt.client import api
            node = api.nodes.get_nodes()['node-123456']
            c = node.config
            print(c.netsetup, c.boot_retries, c.boot_timeout, c.kexec_allow, c.mount_persist, c.expose)
            c.netsetup = 'NAT'
            c.boot_timeout = 'none'
            c.kexec_allow = 'false'
            c = api.nodes.get_nodes()['node-123456'].config
            print(c.netsetup, c.boot_retries, c.boot_timeout, c.kexec_allow)
            print(sorted(api.nodes.get_nodes()['node-000009'].config.__buffered_get_info__().keys()))
            """
        let outcome = try WaltBinary.run(["-c", script], executable: python, environment: ["HOME": alice.home.path],
                                         timeout: 60)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == """
            LAN 9 180 True True none
            Done. Reboot node(s) to see new settings in effect.
            Done.
            Done.
            NAT 9 None False
            ['boot_retries', 'boot_timeout', 'kexec_allow', 'mount_persist']

            """)
    }
}
