import Foundation
import Testing

/// Our daemon, driven by walt-dhcp-event and by the unmodified Python client 10.0.
@Suite(.serialized) struct DaemonWitnessTests {
    @Test func testRegistrationThenNodeShow_withThePythonClient() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        // No nodes yet.
        let empty = try alice.run(["node", "show", "--all"])
        #expect(empty.status == 0)
        #expect(empty.stdout == "No nodes detected!\nType `walt help show node-ownership` for help.\n")

        // Two leases through the real hook personality; dhcpd's unpadded MAC form included.
        // "Lab.PC" becomes "lab.pc-990002" in the hook and "lab" in the daemon, as upstream.
        let first = try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.183.7", "b8:27:eb:12:34:56", "", "0", "unknown"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try daemon.dhcpEvent(["commit", "", "walt.node.pc-x86-64", "192.168.183.9", "52:54:0:99:0:2", "Lab.PC", "0", "unknown"])
        #expect(second.status == 0, "\(second.stderr)")
        // A known switch is filtered out by the hook and never reaches the daemon.
        let known = try daemon.dhcpEvent(["commit", "", "", "192.168.183.20", "00:11:22:33:44:55", "", "1", "switch"])
        #expect(known.status == 0)

        let all = try alice.run(["node", "show", "--all"])
        #expect(all.status == 0)
        #expect(all.stdout == """

            \u{1B}[1mThe following nodes are currently free:
            \u{1B}[0m
            name         type      model      ip             netsetup  booted
            -----------  --------  ---------  -------------  --------  ------
            lab          physical  pc-x86-64  192.168.183.9  LAN       NO    
            node-123456  physical  rpi-3-b    192.168.183.7  LAN       NO    

            Type `walt help show node-ownership` for help.

            """)
        let mine = try alice.run(["node", "show"])
        #expect(mine.stdout == "You currently do not own any nodes.\nRe-run with --all to see all available nodes.\nType `walt help show node-ownership` for help.\n")
        let names = try alice.run(["node", "show", "--all", "--names-only"])
        #expect(names.stdout == "lab\nnode-123456\n")

        // Registering the same device again changes nothing.
        let again = try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.183.7", "b8:27:eb:12:34:56", "", "0", "unknown"])
        #expect(again.status == 0)
        #expect(try alice.run(["node", "show", "--all", "--names-only"]).stdout == "lab\nnode-123456\n")
    }

    @Test func testDHCPEvent_daemonDown_failsFastWithOneLine() throws {
        let outcome = try WaltBinary.run(
            ["commit", "walt.node.rpi-3-b", "", "192.168.183.7", "b8:27:eb:00:00:01", "", "0", "unknown"],
            personality: "walt-dhcp-event", environment: ["WALT_SERVER_DAEMON_HOST": "127.9.8.7"], timeout: 5)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.hasPrefix("walt-dhcp-event: cannot register b8:27:eb:00:00:01"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
}
