import Foundation
import Testing

/// Garbage, unknown request ids and clients dying mid-call leave the daemon serving others.
@Suite(.serialized) struct DaemonBadInputTests {
    @Test func testBadInputOnBothPorts_daemonKeepsServing() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let peerIP = DaemonLogTests.nodeAddress(of: daemon)
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }

        for port: UInt16 in [12345, 12347] {
            let peer = try LoopbackPeer(from: peerIP, to: daemon.address, port: port)
            peer.send(garbage)
            #expect(peer.readsEOF(), "port \(port) kept a garbage connection open")
            peer.close()
        }
        // Unknown request ids, by number and by name.
        for request in ["99\n", "REQ_NOTHING\n", "10\n"] {
            let peer = try LoopbackPeer(from: peerIP, to: daemon.address, port: 12347)
            peer.send(request)
            #expect(peer.readsEOF(), "request \(request) was not refused")
            peer.close()
        }
        // A client that dies during a call (the server's get_username callback fails).
        let dying = try LoopbackPeer(from: peerIP, to: daemon.address, port: 12345)
        dying.send("10\nCSAPI\n")
        #expect(dying.receive(atMost: 5) == Array("10.0\n".utf8))
        dying.send("('API_CALL', 'list_checkpoints', (), {})\n")
        dying.close()
        // A half pickle, then the connection drops.
        let half = try LoopbackPeer(from: peerIP, to: daemon.address, port: 12345)
        half.send("10\nCSAPI\n('SET_MODE', 'pickle4')\n")
        half.send([0x80, 0x04, 0x95, 0x30, 0x00])
        half.close()
        // A log request with unreadable parameters.
        let badDump = try LoopbackPeer(from: peerIP, to: daemon.address, port: 12347)
        badDump.send("1\n")
        badDump.send([0x80, 0x04, 0x4b, 0x01, 0x2e])  // the int 1, not a dict
        #expect(badDump.readsEOF())
        badDump.close()

        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["node", "show", "--all"])
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("No nodes detected!"))
        #expect(try alice.run(["log", "list-checkpoints"]).stdout == "You own no checkpoints.\n")
        #expect(daemon.exitStatus == nil)
        #expect(daemon.log.contains("Invalid request"))
    }
}
