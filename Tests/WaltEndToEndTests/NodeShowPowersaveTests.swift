import Foundation
import Testing

/// `walt node show` marks a node as "no (powersave)" when PoE is off for powersave on the
/// switch port it is linked to, whichever side of the topology row the node is on; PoE off
/// for another reason is not powersave. Upstream's server writes these rows; a database
/// carried over from it keeps them. Our client and the Python client 10.0 print the same.
@Suite(.serialized) struct NodeShowPowersaveTests {
    @Test func powersaveFollowsTheLinkedSwitchPort() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        for last in 1...3 {
            let outcome = try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.152.\(10 + last)",
                                                "b8:27:eb:00:00:0\(last)", "", "0", "unknown"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let switchMAC = "00:11:22:33:44:55"
        _ = try daemon.sql("""
            INSERT INTO devices (mac, ip, name, type) VALUES ('\(switchMAC)', '192.168.152.2', 'switch-a', 'switch');
            INSERT INTO topology (mac1, port1, mac2, port2, confirmed) VALUES
                ('b8:27:eb:00:00:01', NULL, '\(switchMAC)', 1, true),
                ('\(switchMAC)', 2, 'b8:27:eb:00:00:02', NULL, true),
                ('\(switchMAC)', 3, 'b8:27:eb:00:00:03', NULL, true);
            INSERT INTO poeoff (mac, port, reason) VALUES
                ('\(switchMAC)', 1, 'powersave'), ('\(switchMAC)', 2, 'powersave'), ('\(switchMAC)', 3, 'maintenance');
            """)

        let ours = try WaltBinary.run(["node", "show", "--all"], personality: "walt", environment: ["HOME": alice.home.path])
        #expect(ours.status == 0, "\(ours.stderr)")
        // The booted column is the last one (upstream writes an unbooted node as NO); a row
        // is padded to the table's width.
        func trimmedRow(_ name: String) -> String? {
            ours.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                .map { String($0.reversed().drop { $0 == " " }.reversed()) }
        }
        #expect(trimmedRow("node-000001")?.hasSuffix("  no (powersave)") == true, "\(ours.stdout)")
        #expect(trimmedRow("node-000002")?.hasSuffix("  no (powersave)") == true, "\(ours.stdout)")
        #expect(trimmedRow("node-000003")?.hasSuffix("  NO") == true, "\(ours.stdout)")
        let theirs = try alice.run(["node", "show", "--all"])
        #expect(ours.stdout == theirs.stdout)
    }
}
