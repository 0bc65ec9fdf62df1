import Foundation
import Testing
import WaltCommon

/// Clients may send SET_MODE and a call without waiting for the version line (ours does for
/// reads); the daemon then answers version and result together. It never holds the version
/// back from a client that waits for it.
@Suite(.serialized) struct DaemonPipelinedCallTests {
    static let handshake = "10\nCSAPI\n('SET_MODE', 'pickle4')\n"

    /// The next complete pickle from `peer`, or nil on EOF or timeout.
    static func receivePickle(_ peer: LoopbackPeer) throws -> PyValue? {
        var decoder = PickleDecoder()
        while true {
            if let value = try decoder.next() { return value }
            let chunk = peer.receive(atMost: 65536)
            guard !chunk.isEmpty else { return nil }
            decoder.feed(chunk)
        }
    }

    @Test func testPipelined_versionNotHeldBack_resultBehindVersion_versionBeforeClose() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }

        // Handshake and SET_MODE, then nothing until the version came (our client before a
        // call that changes state): the version line must not wait for a call.
        let waiting = try LoopbackPeer(from: daemon.address, to: daemon.address, port: 12345, timeout: 3)
        defer { waiting.close() }
        waiting.send(Self.handshake)
        #expect(waiting.receiveLine() == "10.0")
        waiting.send(PickleEncoder.encode(.tuple(["API_CALL", "get_time", .tuple([]), [:]])))
        let time = try Self.receivePickle(waiting)
        guard case .tuple(let parts)? = time, parts.first == "RESULT", case .float? = parts.last else {
            Issue.record("get_time answered \(String(describing: time))")
            return
        }

        // Everything in one segment: the version line, then the call's result.
        let eager = try LoopbackPeer(from: daemon.address, to: daemon.address, port: 12345, timeout: 3)
        defer { eager.close() }
        eager.send(Array(Self.handshake.utf8)
                   + PickleEncoder.encode(.tuple(["API_CALL", "show_nodes", .tuple(["alice", true, false]), [:]])))
        #expect(eager.receiveLine() == "10.0")
        let shown = try Self.receivePickle(eager)
        #expect(shown == .tuple(["RESULT", "No nodes detected!\nType `walt help show node-ownership` for help."]))

        // The handshake and a bad line in one segment: the version still goes out first.
        let bad = try LoopbackPeer(from: daemon.address, to: daemon.address, port: 12345, timeout: 3)
        defer { bad.close() }
        bad.send("10\nCSAPI\nnot python at all\n")
        #expect(bad.receiveLine() == "10.0")
        #expect(bad.readsEOF())
    }
}
