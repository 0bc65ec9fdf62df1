import Foundation
import Testing
import WaltCommon

/// Many clients at once, and PostgreSQL going away under the daemon: it keeps serving,
/// reconnects, and loses nothing it committed or acknowledged.
@Suite(.serialized) struct DaemonResilienceTests {
    @Test func test500ConcurrentSessions_allServed_andOthersStillServed() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        var links: [RPCClientLink] = []
        defer { links.removeAll() }
        // 500 sessions open at once (each handshake answered), plus 20 idle raw
        // connections that never send a byte.
        for _ in 0..<500 {
            links.append(try RPCClientLink(host: daemon.address, api: "CSAPI", connectTimeoutMilliseconds: 5_000))
        }
        var idle: [LoopbackPeer] = []
        defer { idle.forEach { $0.close() } }
        for _ in 0..<20 {
            idle.append(try LoopbackPeer(from: DaemonLogTests.nodeAddress(of: daemon), to: daemon.address, port: 12345))
        }
        let now = Date().timeIntervalSince1970
        for link in links {
            let time = try link.call("get_time", [])
            #expect(abs((time.floatValue ?? 0) - now) < 60)
        }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let shown = try alice.run(["node", "show", "--all"])
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("No nodes detected!"))
        links.removeAll()
        idle.forEach { $0.close() }
        idle.removeAll()
        #expect(try alice.run(["log", "list-checkpoints"]).stdout == "You own no checkpoints.\n")
    }

    /// The postmaster's pid, from the embedded cluster's pid file.
    static func postmasterPID(_ daemon: DaemonHarness) -> pid_t? {
        let file = daemon.stateDirectory.appendingPathComponent("postgresql/data/postmaster.pid").path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let first = text.split(separator: "\n").first else { return nil }
        return pid_t(first)
    }

    /// Retries `body` until it returns true, for at most `seconds`.
    static func eventually(_ seconds: Double, _ body: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if try body() { return true }
            usleep(250_000)
        } while Date() < deadline
        return false
    }

    @Test func testPostgresCrashUnderTheDaemon_restartedReconnected_nothingLost() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let nodeIP = DaemonLogTests.nodeAddress(of: daemon)
        try DaemonLogTests.registerNode(daemon, ip: nodeIP)
        #expect(try alice.run(["log", "add-checkpoint", "before-crash"]).status == 0)

        // A node streams logs; PostgreSQL dies (SIGQUIT: immediate shutdown, like a crash)
        // while it does.
        let node = try LoopbackPeer(from: nodeIP, to: daemon.address, port: 12347)
        defer { node.close() }
        node.send("0\nduring-crash\nNO_TIMESTAMPS\n" + (0..<100).map { "early \($0)\n" }.joined())
        usleep(500_000)
        let pid = try #require(Self.postmasterPID(daemon))
        #expect(kill(pid, SIGQUIT) == 0)
        #expect(Self.eventually(10) { kill(pid, 0) != 0 }, "postgres did not stop")
        // Lines accepted while the database is down.
        node.send((0..<100).map { "late \($0)\n" }.joined())

        // The daemon restarts its cluster and reconnects; a client call works again.
        let served = try Self.eventually(30) {
            try alice.run(["node", "show", "--all", "--names-only"]).stdout == "node-aabb01\n"
        }
        #expect(served, "the daemon did not serve again after the PostgreSQL restart:\n\(daemon.log)")
        #expect(Self.postmasterPID(daemon) != pid)
        #expect(daemon.log.contains("embedded PostgreSQL had stopped; restarted it"), "\(daemon.log)")
        #expect(try alice.run(["log", "list-checkpoints"]).stdout.contains("before-crash"))

        // Every line the daemon accepted, before and during the outage, reached the database.
        node.send("CLOSE\n")
        let complete = try Self.eventually(15) {
            let history = try alice.run(["log", "show", "--issuers", "all-nodes", "--history", "full", "--streams", "during-crash"])
            let lines = history.stdout.split(separator: "\n")
            return lines.count == 200 && history.stdout.contains("early 0") && history.stdout.contains("late 99")
        }
        #expect(complete, "log lines were lost across the restart:\n\(daemon.log)")
        #expect(daemon.exitStatus == nil, "the daemon exited")
    }
}
