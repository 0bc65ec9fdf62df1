import Foundation
import Testing
import WaltCommon

/// Log intake into PostgreSQL (COPY batches): lines of a stream whose device was forgotten
/// while its connection stayed open are dropped without holding back other streams' lines.
@Suite(.serialized) struct DaemonLogIntakeTests {
    static func countLogs(_ daemon: DaemonHarness, stream: String) throws -> Int {
        let link = try RPCClientLink(host: daemon.address, api: "CSAPI")
        let result = try link.call("count_logs", [], kwargs: [
            (.str("history"), .tuple([.none, .none])), (.str("streams_regexp"), .str("^\(stream)$")),
        ])
        return try result.exactly(Int.self)
    }

    /// Polls `count_logs` (which flushes first) until it reaches `expected`, for at most 5 s.
    static func waitForCount(_ daemon: DaemonHarness, stream: String, _ expected: Int) throws -> Int {
        var count = -1
        for _ in 0..<50 {
            count = try countLogs(daemon, stream: stream)
            if count == expected { break }
            usleep(100_000)
        }
        return count
    }

    /// Rows of `logs` whose stream is gone, read straight from the embedded cluster.
    static func orphanLogRows(_ daemon: DaemonHarness) throws -> String {
        try daemon.sql("SELECT count(*) FROM logs l WHERE NOT EXISTS (SELECT 1 FROM logstreams s WHERE s.id = l.stream_id)")
    }

    @Test func testForgottenDeviceLines_areDropped_otherStreamsStillStored() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        var parts = daemon.address.split(separator: ".").map { Int($0) ?? 0 }
        parts[3] = parts[3] >= 249 ? 2 : parts[3] + 1
        let doomedIP = parts.map(String.init).joined(separator: ".")
        parts[3] += 1
        let keptIP = parts.map(String.init).joined(separator: ".")
        try DaemonLogTests.registerNode(daemon, ip: doomedIP, mac: "b8:27:eb:aa:bb:01")
        try DaemonLogTests.registerNode(daemon, ip: keptIP, mac: "b8:27:eb:aa:bb:02")

        let doomed = try LoopbackPeer(from: doomedIP, to: daemon.address, port: 12347)
        defer { doomed.close() }
        let kept = try LoopbackPeer(from: keptIP, to: daemon.address, port: 12347)
        defer { kept.close() }
        doomed.send("0\ndoomed\nNO_TIMESTAMPS\nbefore\n")
        kept.send("0\nkept\nNO_TIMESTAMPS\nkept 1\n")
        #expect(try Self.waitForCount(daemon, stream: "doomed", 1) == 1)
        #expect(try Self.waitForCount(daemon, stream: "kept", 1) == 1)

        let link = try RPCClientLink(host: daemon.address, api: "CSAPI")
        #expect(try link.call("forget", [.str("node-aabb01")]) == .bool(true))
        #expect(try Self.countLogs(daemon, stream: "doomed") == 0)

        // The open connection still holds its stream id: its lines share a batch with others.
        doomed.send((0..<100).map { "after forget \($0)\n" }.joined())
        kept.send((2...101).map { "kept \($0)\n" }.joined())
        #expect(try Self.waitForCount(daemon, stream: "kept", 101) == 101, "\(daemon.log)")
        #expect(try Self.countLogs(daemon, stream: "doomed") == 0)
        kept.send("kept 102\nCLOSE\n")
        #expect(kept.readsEOF())
        #expect(try Self.waitForCount(daemon, stream: "kept", 102) == 102)
        #expect(!daemon.log.contains("could not write"), "\(daemon.log)")
        let orphans = try Self.orphanLogRows(daemon)
        #expect(orphans == "0", "\(orphans)")
    }
}
