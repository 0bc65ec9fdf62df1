import Foundation
import Testing
import WaltCommon

/// NSAPI as nodes use it: busybox `walt-rpc` in the legacy line-repr-eval mode (and the
/// pickle mode, which the API accepts too).
@Suite(.serialized) struct NodeAPITests {
    /// What `walt-rpc <func> <args...>` sends, then its reading of the reply.
    static func waltRPC(_ daemon: DaemonHarness, from source: String, _ call: String) throws -> (version: String?, reply: String?) {
        let peer = try LoopbackPeer(from: source, to: daemon.address, port: 12345)
        defer { peer.close() }
        peer.send("REQ_API_SESSION\nNSAPI\n\(call)\n")
        let version = peer.receiveLine()
        let reply = peer.receiveLine()
        peer.send("('CLOSE')\n")
        return (version, reply)
    }

    @Test func testSyncClock_lineMode_answersAtTheNextWholeSecond() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let before = Date().timeIntervalSince1970
        let (version, reply) = try Self.waltRPC(daemon, from: DaemonLogTests.nodeAddress(of: daemon),
                                                "('API_CALL', 'sync_clock', (), {})")
        let after = Date().timeIntervalSince1970
        #expect(version == "10.0")
        let text = try #require(reply)
        #expect(text.hasPrefix("('RESULT', ") && text.hasSuffix(")"), "\(text)")
        let stamp = try #require(Double(text.dropFirst("('RESULT', ".count).dropLast()))
        #expect(stamp == stamp.rounded(), "an integer timestamp")
        #expect(stamp >= before.rounded(.down) + 1 && stamp <= after.rounded(.down) + 1, "\(before) \(stamp) \(after)")
        #expect(after >= stamp, "the reply comes once that second has started")
    }

    @Test func testSyncClock_pickleMode() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let link = try RPCClientLink(host: daemon.address, api: "NSAPI")
        let value = try link.call("sync_clock", [])
        let stamp = try #require(value.intValue?.intValue)
        #expect(abs(Double(stamp) - Date().timeIntervalSince1970) < 2)
    }

    @Test func testReportLLDPNeighbor_unknownDeviceBecomesASwitch() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let nodeIP = DaemonLogTests.nodeAddress(of: daemon)
        try DaemonLogTests.registerNode(daemon, ip: nodeIP)
        // A device DHCP knows nothing about, then the node names it as its LLDP neighbour.
        #expect(try daemon.dhcpEvent(["commit", "", "", "192.168.152.30", "00:1e:2a:00:00:07", "", "0", "unknown"]).status == 0)
        let (_, reply) = try Self.waltRPC(daemon, from: nodeIP,
                                          "('API_CALL', 'report_lldp_neighbor', ( '00:1E:2A:00:00:07', 'port 3',), {})")
        #expect(reply == "('RESULT', None)")
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["device", "show"])
        let rows = DaemonConfigTests.rows(shown.stdout)
        #expect(rows.contains("switch-000007 192.168.152.30 00:1e:2a:00:00:07 switch LAN"), "\(shown.stdout)")
        let history = try alice.run(["log", "show", "--platform", "--history", "full"])
        #expect(history.stdout.contains("Node node-aabb01 is connected on unknown-000007, so unknown-000007 is a switch."), "\(history.stdout)")
        #expect(history.stdout.contains("renamed unknown-000007 to switch-000007 for clarity"))
        #expect(history.stdout.contains("new switch (device type previously unknown) name=switch-000007 mac=00:1e:2a:00:00:07 ip=192.168.152.30"))
    }

    @Test func testReportLLDPNeighbor_fromANonNode_changesNothing() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        #expect(try daemon.dhcpEvent(["commit", "", "", "192.168.152.30", "00:1e:2a:00:00:07", "", "0", "unknown"]).status == 0)
        let (_, reply) = try Self.waltRPC(daemon, from: DaemonLogTests.nodeAddress(of: daemon),
                                          "('API_CALL', 'report_lldp_neighbor', ('00:1e:2a:00:00:07', 'port 3'), {})")
        #expect(reply == "('RESULT', None)")
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["device", "show"]).stdout
        #expect(DaemonConfigTests.rows(shown).contains("unknown-000007 192.168.152.30 00:1e:2a:00:00:07 unknown LAN"), "\(shown)")
    }

    @Test func testNetgearMAC_registersAsASwitch() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        #expect(try daemon.dhcpEvent(["commit", "", "", "192.168.152.31", "28:c6:8e:01:02:03", "", "0", "unknown"]).status == 0)
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        #expect(DaemonConfigTests.rows(try alice.run(["device", "show"]).stdout)
            .contains("switch-010203 192.168.152.31 28:c6:8e:01:02:03 switch LAN"))
    }
}

/// `walt node remove` (CSAPI remove_vnode) refuses what is not a virtual node, as upstream.
@Suite(.serialized) struct RemoveVnodeTests {
    @Test func testRemoveRefusesRealNodesAndOtherDevices() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        try DaemonLogTests.registerNode(daemon, ip: "192.168.152.7")
        #expect(try daemon.dhcpEvent(["commit", "", "", "192.168.152.31", "28:c6:8e:01:02:03", "", "0", "unknown"]).status == 0)
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let real = try alice.run(["node", "remove", "node-aabb01"])
        #expect(real.stderr.contains("FAILED: node-aabb01 is a real node (not virtual)."), "\(real.stdout) \(real.stderr)")
        #expect(try alice.run(["node", "show", "--all", "--names-only"]).stdout == "node-aabb01\n", "the node is still there")
        let unknown = try alice.run(["node", "remove", "nosuch"])
        #expect(unknown.stderr.contains("No device with name 'nosuch' found."), "\(unknown.stderr)")
    }
}
