import Foundation
import Testing
import WaltCommon

/// Logs, checkpoints, device show and bootup notifications, with the official Python
/// client 10.0 as the witness and node-like peers on port 12347.
@Suite(.serialized) struct DaemonLogTests {
    /// A source address next to the daemon's, for a node-like peer.
    static func nodeAddress(of daemon: DaemonHarness) -> String {
        var parts = daemon.address.split(separator: ".").map { Int($0) ?? 0 }
        parts[3] = parts[3] == 250 ? 249 : parts[3] + 1
        return parts.map(String.init).joined(separator: ".")
    }

    static func registerNode(_ daemon: DaemonHarness, ip: String, mac: String = "b8:27:eb:aa:bb:01") throws {
        let outcome = try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", ip, mac, "", "0", "unknown"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func testCheckpoints_addListRemove() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        #expect(try alice.run(["log", "list-checkpoints"]).stdout == "You own no checkpoints.\n")
        let added = try alice.run(["log", "add-checkpoint", "cp1"])
        #expect(added.status == 0)
        #expect(added.stdout.hasPrefix("New checkpoint cp1 recorded at server time: "), "\(added.stdout) \(added.stderr)")
        let again = try alice.run(["log", "add-checkpoint", "cp1"])
        #expect(again.stderr.contains("Failed: a checkpoint with this name already exists."))
        let listed = try alice.run(["log", "list-checkpoints"])
        let lines = listed.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4, "\(listed.stdout)")
        #expect(lines.first?.hasPrefix("timestamp") == true)
        #expect(lines.dropFirst(2).first?.contains("  cp1") == true)
        // Another user does not see it.
        let bob = try PythonClient(server: daemon.address, username: "bob", in: daemon.stateDirectory)
        #expect(try bob.run(["log", "list-checkpoints"]).stdout == "You own no checkpoints.\n")

        let removed = try alice.run(["log", "remove-checkpoint", "cp1"])
        #expect(removed.stdout == "Done.\n")
        let missing = try alice.run(["log", "remove-checkpoint", "cp1"])
        #expect(missing.stderr.contains("Failed: no checkpoint with this name 'cp1'."))
        #expect(try alice.run(["log", "list-checkpoints"]).stdout == "You own no checkpoints.\n")
    }

    @Test func testDeviceShow_listsTheServerAndNodes() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        try Self.registerNode(daemon, ip: "192.168.152.7", mac: "b8:27:eb:12:34:56")
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["device", "show"])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("The WalT network contains the following devices:"))
        let rows = shown.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("name ip mac type netsetup"), "\(shown.stdout)")
        #expect(rows.contains("node-123456 192.168.152.7 b8:27:eb:12:34:56 node (physical) LAN"))
        #expect(rows.contains { $0.hasPrefix("walt-server \(daemon.address) ") && $0.hasSuffix(" server") })
        #expect(shown.stdout.contains("- use 'walt device tree' for a tree view of the network"))
    }

    @Test func testNodeLogs_realtimeWithinASecond_thenInHistory() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let nodeIP = Self.nodeAddress(of: daemon)
        try Self.registerNode(daemon, ip: nodeIP)
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        let realtime = try RunningClient(alice, ["log", "show", "--realtime", "--issuers", "all-nodes"])
        defer { realtime.stop() }
        let node = try LoopbackPeer(from: nodeIP, to: daemon.address, port: 12347)
        defer { node.close() }
        node.send("0\ntest-suite\nNO_TIMESTAMPS\n")
        // Until the client has subscribed, ticks may be missed; then one line is timed.
        var seen = false
        for tick in 0..<60 where !seen {
            node.send("tick \(tick)\n")
            seen = realtime.waitFor("tick", timeout: 0.25)
        }
        #expect(seen, "the realtime client printed nothing: \(realtime.printed)\n\(daemon.log)")
        // One line alone reaches the reader: the 0.3 s flush, not a full batch or the end of
        // the connection, delivers it (the bound is loose for a loaded machine).
        node.send("hello-realtime\n")
        #expect(realtime.waitFor("node-aabb01.test-suite -> hello-realtime", timeout: 5), "\(realtime.printed)")
        node.send("with-timestamp-later\nCLOSE\n")
        #expect(realtime.waitFor("with-timestamp-later", timeout: 2))
        realtime.stop()

        let history = try alice.run(["log", "show", "--history", "full", "--issuers", "all-nodes"])
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("node-aabb01.test-suite -> hello-realtime"), "\(history.stdout)")
        #expect(history.stdout.contains("node-aabb01.test-suite -> with-timestamp-later"))
        let filtered = try alice.run(["log", "show", "--history", "full", "--issuers", "all-nodes", "--streams", "^test-s", "hello-.*"])
        #expect(filtered.stdout.split(separator: "\n").count == 1, "\(filtered.stdout)")
    }

    /// A realtime reader that stops reading is cut off once it lags `WALT_REALTIME_BACKLOG`
    /// batches (4 here) behind, so the daemon's memory stays bounded: it gets the end of
    /// its connection after what it was owed, and every line is still stored.
    @Test func testStalledRealtimeReader_isCutOff_linesStillStored() throws {
        let daemon = try DaemonHarness(environment: ["WALT_REALTIME_BACKLOG": "4"])
        defer { daemon.stop() }
        let nodeIP = Self.nodeAddress(of: daemon)
        try Self.registerNode(daemon, ip: nodeIP)
        let reader = try LoopbackPeer(from: "127.0.0.1", to: daemon.address, port: 12347, timeout: 30)
        defer { reader.close() }
        reader.send("1\n")
        reader.send(PickleEncoder.encode(.dict([(.str("history"), .none), (.str("realtime"), true),
                                                (.str("issuers"), .none), (.str("logline_regexp"), .none)])))
        // Far more than the sockets buffer (40 MB), in many batches, and nobody reads them.
        let node = try LoopbackPeer(from: nodeIP, to: daemon.address, port: 12347, timeout: 30)
        defer { node.close() }
        node.send("0\ntest-suite\nNO_TIMESTAMPS\n")
        let filler = String(repeating: "x", count: 1000)
        let lines = 40_000
        for start in stride(from: 0, to: lines, by: 100) {
            node.send((start..<start + 100).map { "line \($0) \(filler)\n" }.joined())
        }
        node.send("CLOSE\n")
        var stored = -1
        for _ in 0..<6 where stored != lines { stored = try DaemonLogIntakeTests.waitForCount(daemon, stream: "test-suite", lines) }
        #expect(stored == lines)
        #expect(daemon.log.contains("is 4 batches behind: its stream is ended"), "\(daemon.log.suffix(2000))")
        // The reader drains what it was owed, then the daemon closes the connection.
        var received = 0
        var ended = false
        for _ in 0..<100_000 {
            let chunk = reader.receive(atMost: 1 << 20)
            if chunk.isEmpty { ended = true; break }
            received += chunk.count
        }
        #expect(ended && received > 0, "received \(received) bytes")
        #expect(received < lines * 1000, "the stalled reader was not sent everything")
    }

    @Test func testBootupNotification_showsBooted_andLogsIt() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let nodeIP = Self.nodeAddress(of: daemon)
        try Self.registerNode(daemon, ip: nodeIP)
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        let notifier = try LoopbackPeer(from: nodeIP, to: daemon.address, port: 12347)
        defer { notifier.close() }
        notifier.send("REQ_NOTIFY_BOOTUP_STATUS\n")
        #expect(notifier.receive(atMost: 3) == Array("OK\n".utf8))
        notifier.send("\n")
        var booted = false
        for _ in 0..<50 where !booted {
            booted = try alice.run(["node", "show", "--all"]).stdout.contains("LAN       yes")
            if !booted { usleep(100_000) }
        }
        #expect(booted)
        notifier.close()
        var down = false
        for _ in 0..<50 where !down {
            down = try alice.run(["node", "show", "--all"]).stdout.contains("LAN       NO")
            if !down { usleep(100_000) }
        }
        #expect(down)
        let platform = try alice.run(["log", "show", "--history", "full", "--platform"])
        #expect(platform.stdout.contains("walt-server.platform.nodes -> node node-aabb01 is booted"), "\(platform.stdout)")
        #expect(platform.stdout.contains("walt-server.platform.nodes -> node node-aabb01 is down (cause: unknown, note: server-detected disconnection)"))
        #expect(platform.stdout.contains("walt-server.platform.devices -> new node name=node-aabb01 model=rpi-3-b mac=b8:27:eb:aa:bb:01 ip=\(nodeIP)"))
    }

    @Test func testSIGTERM_flushesAcceptedLines() throws {
        let first = try DaemonHarness()
        let nodeIP = Self.nodeAddress(of: first)
        var restarted: DaemonHarness?
        defer { (restarted ?? first).stop() }
        try Self.registerNode(first, ip: nodeIP)
        let node = try LoopbackPeer(from: nodeIP, to: first.address, port: 12347)
        node.send("0\nburst\nNO_TIMESTAMPS\n" + (0..<500).map { "line \($0)\n" }.joined() + "CLOSE\n")
        #expect(node.readsEOF())
        node.close()
        first.stop(keepState: true)
        #expect(first.exitStatus == 0)
        restarted = try DaemonHarness(reusing: first)
        let alice = try PythonClient(server: first.address, username: "alice", in: first.stateDirectory)
        let history = try alice.run(["log", "show", "--history", "full", "--issuers", "all-nodes", "--streams", "burst"])
        #expect(history.stdout.split(separator: "\n").count == 500, "\(history.stdout.suffix(300))")
    }
}
