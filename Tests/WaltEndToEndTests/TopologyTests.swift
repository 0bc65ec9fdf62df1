import Foundation
import Testing

/// Topology and PoE on a testbed with a simulated PoE switch (Scripts/testbed/sim-switch.sh:
/// a bridge, snmpd with lldpd as AgentX subagent, PoE through sim-poe.sh): the server's
/// own LLDP agent (walt-server-lldpd under snmpd) finds the switch, the switch's finds the
/// nodes, `walt device tree` draws them on their ports, and a hard reboot power-cycles a
/// node through its port's PoE.
@Suite(.serialized, .enabled(if: Testbed.switchesAvailable, "needs root, the boot path's packages, snmpd and lldpd (Scripts/install-deps.sh)"))
struct TopologyTests {
    @Test func rescanTreePortConfigAndPoEReboot() throws {
        let testbed = try Testbed(options: ["--no-images", "--imageless-nodes", "host-root"])
        defer { testbed.down() }
        let dir = testbed.directory.path
        let up = try testbed.script(["switch", dir, "sw", "--ports", "4"])
        #expect(up.status == 0, "\(up.stdout)")
        let switchName = "sw-" + (try String(contentsOf: testbed.directory.appendingPathComponent("switches/sw/mac"), encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":").suffix(3).joined()
        // Two nodes on the switch (ports 2 and 4), one straight on walt-net.
        var names: [String: String] = [:]
        // b runs no lldpd: only the switch's forwarding table places it.
        for (node, mac, port) in [("a", "02:57:41:00:0a:01", "2"), ("b", "02:57:41:00:0a:02", "4"), ("c", "02:57:41:00:0a:03", "")] {
            let placement = (port.isEmpty ? [] : ["--switch", "sw", "--port", port]) + (node == "b" ? ["--no-lldp"] : [])
            let outcome = try testbed.script(["node", dir, node, "rpi-3-b-plus", mac] + placement)
            #expect(outcome.status == 0, "\(outcome.stdout)")
            names[node] = "\(node)-\(mac.split(separator: ":").suffix(3).joined())"
        }
        let walt = testbed.directory.appendingPathComponent("bin/walt").path
        let home = try testbed.home("ours")
        func run(_ arguments: [String]) throws -> WaltBinary.Outcome {
            try testbed.inServer([walt] + arguments, home: home)
        }

        // Before the switch is known as one, the tree explains what to do.
        #expect(try testbed.waitFor("the switch registered by DHCP") {
            try run(["device", "show"]).stdout.contains(switchName)
        })
        // The server's agent hears the switch within its LLDP interval.
        var unknown = "", rescan = ""
        // LLDP frames go every 5 s; a loaded machine delays them: generous bounds.
        #expect(try testbed.waitFor("the switch in the server's LLDP table", seconds: 60) {
            rescan = try run(["device", "rescan"]).stdout
            unknown = try run(["device", "tree"]).stdout
            return unknown.contains("Note: device \(switchName) was detected, but its type is unknown.")
        }, "\(unknown)")
        #expect(rescan == "Querying walt server               OK\n", "\(rescan)")
        #expect(unknown.hasPrefix("Sorry, topology is unknown."), "\(unknown)")

        // An explorable PoE switch: the rescan finds the nodes on their ports.
        let config = try run(["device", "config", switchName, "type=switch", "lldp.explore=true", "snmp.version=2",
                              "snmp.community=private", "poe.reboots=true"])
        #expect(config.status == 0 && config.stdout == "Done.\n", "\(config)")
        let shown = try run(["device", "config", switchName]).stdout
        for setting in ["lldp.explore=true", "poe.reboots=true", "snmp.version=2", "snmp.community=private"] {
            #expect(shown.contains(setting), "\(shown)")
        }
        let expectedTree = """

            -- \(switchName) --
             ├─2: \(names["a"]!)
             ├─4: \(names["b"]!)
             └─6: walt-server

            """
        // The switch learns its neighbours from their LLDP frames (every few seconds).
        var tree = ""
        #expect(try testbed.waitFor("both nodes on the tree", seconds: 60) {
            let rescan = try run(["device", "rescan"])
            tree = try run(["device", "tree"]).stdout
            return rescan.stdout.contains("Querying \(switchName)                 OK\n") && tree.hasPrefix(expectedTree)
        }, "\(tree)")
        #expect(tree.contains("note: this view comes from last network scan, issued "), "\(tree)")
        #expect(!tree.contains(names["c"]!), "a node plugged on the server is not below the switch")
        // The Python client 10.0 prints the same tree.
        let python = try testbed.inServer([try PythonClient.locate(), "device", "tree"], home: try testbed.home("python"))
        #expect(python.stdout.hasPrefix(expectedTree), "\(python)")

        // Port names.
        let named = try run(["device", "port-config", switchName, "4", "name=desk-b"])
        #expect(named.stdout == "Done.\n", "\(named)")
        // Named ports come after numbered ones, as upstream sorts them.
        let renamed = try run(["device", "tree"]).stdout
        #expect(renamed.contains(" ├─6: walt-server\n └─desk-b: \(names["b"]!)\n"), "\(renamed)")
        let ports = try run(["device", "port-config", switchName]).stdout
        #expect(ports.contains("2: name=\"2\" poe=on peer=\(names["a"]!)\n4: name=\"desk-b\" poe=on peer=\(names["b"]!)\n"), "\(ports)")
        let refused = try run(["device", "port-config", switchName, "4", "name=7"])
        #expect(refused.stderr.contains("the only integer allowed for this port name is \"4\""), "\(refused)")

        // A hard reboot cuts the port's power: the node dies, then boots again.
        #expect(try run(["node", "wait", "--timeout", "60", names["a"]!]).status == 0)
        let reboot = try run(["node", "reboot", "--hard", names["a"]!])
        #expect(reboot.status == 0 && reboot.stdout.contains("rebooted"), "\(reboot)")
        let poeLog = (try? String(contentsOf: testbed.directory.appendingPathComponent("switches/sw/poe.log"), encoding: .utf8)) ?? ""
        #expect(poeLog.contains("PoE port 1 (a): off") && poeLog.contains("PoE port 1 (a): on"), "\(poeLog)")
        let waited = try run(["node", "wait", "--timeout", "60", names["a"]!])
        #expect(waited.status == 0, "\(waited)")
        let platform = try run(["log", "show", "--history", "full", "--platform"]).stdout
        #expect(platform.contains("node \(names["a"]!) is down (cause: reboot requested, method: PoE hard-reboot)"), "\(platform)")
        // c has no switch port: upstream's error (lowercased by its sentence formatting).
        let noPort = try run(["node", "reboot", "--hard", names["c"]!])
        #expect(noPort.stderr.contains("failed poe-reboot (unknown lldp network position)"), "\(noPort)")
        // A node plugged later reports its switch port itself (its lldpd's neighbour, over
        // NSAPI as WalT images do): no rescan needed.
        let plugged = try testbed.script(["node", dir, "d", "rpi-3-b-plus", "02:57:41:00:0a:04", "--switch", "sw", "--port", "3"])
        #expect(plugged.status == 0, "\(plugged.stdout)")
        var located = ""
        #expect(try testbed.waitFor("d's own report", seconds: 90) {
            located = try run(["log", "show", "--history", "full", "--platform"]).stdout
            return located.contains("Node d-000a04 is now connected on \(switchName) port 3")
        }, "\(located)\n\(testbed.log("d.log").suffix(1500))")
        let withD = try run(["device", "tree"]).stdout
        #expect(withD.contains(" ├─3: d-000a04\n"), "\(withD)\n\(testbed.log("d.log").suffix(1500))")
        // A switch that may not power-cycle nodes.
        _ = try run(["device", "config", switchName, "poe.reboots=false"])
        let forbidden = try run(["node", "reboot", "--hard", names["b"]!])
        #expect(forbidden.stderr.contains("failed poe-reboot (forbidden on switch)"), "\(forbidden)")

        // A switch that does not answer (a wrong community: the agent stays silent): the scan
        // says so, and the tree keeps the last view, its links now unconfirmed.
        _ = try run(["device", "config", switchName, "snmp.community=wrong"])
        let silent = try run(["device", "rescan", switchName])
        #expect(silent.stdout == "Querying \(switchName)                 FAILED (LLDP and BRIDGE SNMP issues)\n", "\(silent)")
        let stale = try run(["device", "tree"]).stdout
        #expect(stale.contains("(\(names["a"]!))") && stale.contains("devices marked with parentheses were not detected at last scan"),
                "\(stale)")
    }
}

extension Testbed {
    /// Simulated switches need snmpd and lldpd besides the boot path's packages.
    static var switchesAvailable: Bool {
        available && ["/usr/sbin/snmpd", "/usr/sbin/lldpd", "/usr/sbin/lldpcli"]
            .allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }
}
