import Foundation
import Testing

/// `/etc/walt/server.conf` as the daemon reads it: the walt-net subnet and the server's
/// address, a configured PostgreSQL (DSN) instead of the embedded one, and bad files.
@Suite(.serialized) struct DaemonConfigTests {
    static func rows(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
    }

    @Test func testWaltNetFromServerConf_setsSubnetAndServerAddress() throws {
        let daemon = try DaemonHarness(serverConf: """
            # WalT server configuration file.
            network:
                walt-net:
                    raw-device: null
                    ip: 192.168.183.1/24
            registries:
            -   label: hub
                api: docker-hub
                description: Public registry at hub.docker.com
            vpn:
                enabled: false

            """)
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        #expect(try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.183.7", "b8:27:eb:12:34:56", "", "0", "unknown"]).status == 0)
        #expect(try daemon.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.152.8", "b8:27:eb:12:34:57", "", "0", "unknown"]).status == 0)
        let shown = try alice.run(["device", "show"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let rows = Self.rows(shown.stdout)
        #expect(rows.contains { $0.hasPrefix("walt-server 192.168.183.1 ") && $0.hasSuffix(" server") }, "\(shown.stdout)")
        // netsetup is only shown for devices inside the configured walt-net.
        #expect(rows.contains("node-123456 192.168.183.7 b8:27:eb:12:34:56 node (physical) LAN"), "\(shown.stdout)")
        #expect(rows.contains("node-123457 192.168.152.8 b8:27:eb:12:34:57 node (physical)"), "\(shown.stdout)")
    }

    @Test func testConfiguredDSN_usesThatDatabaseInsteadOfAnEmbeddedOne() throws {
        // Daemon A runs the embedded cluster; daemon B is configured to use A's database.
        let first = try DaemonHarness()
        defer { first.stop() }
        let socket = first.stateDirectory.appendingPathComponent("pg-socket").path
        let user = NSUserName()
        let second = try DaemonHarness(serverConf: """
            network:
                walt-net:
                    ip: 192.168.152.1/22
            database:
                dsn: "host=\(socket) port=5432 dbname=walt user=\(user)"

            """)
        defer { second.stop() }
        #expect(second.log.contains("using the configured PostgreSQL"), "\(second.log)")
        #expect(!FileManager.default.fileExists(atPath: second.stateDirectory.appendingPathComponent("postgresql").path))
        #expect(try second.dhcpEvent(["commit", "walt.node.rpi-3-b", "", "192.168.152.7", "b8:27:eb:12:34:56", "", "0", "unknown"]).status == 0)
        let alice = try PythonClient(server: first.address, username: "alice", in: first.stateDirectory)
        let names = try alice.run(["node", "show", "--all", "--names-only"])
        #expect(names.stdout == "node-123456\n", "\(names.stderr)")
    }

    @Test(arguments: [
        ("network:\n    walt-net:\n        ip: 192.168.183.1/40\n", "line 3: 'network.walt-net.ip': '192.168.183.1/40' is not an IPv4 address with its prefix"),
        ("network:\n    walt-net:\n        raw-device: eth1\n", "line 2: 'network.walt-net.ip' is missing"),
        ("network:\n    walt-net:\n        ip: 192.168.183.1/24\n        vlna: 3\n", "line 4: unknown key 'network.walt-net.vlna'"),
        ("netwrok:\n    walt-net:\n        ip: 192.168.183.1/24\n", "line 1: unknown key 'netwrok'"),
        ("network:\n\twalt-net:\n", "line 2: tabs are not allowed in indentation"),
    ])
    func testBadServerConf_oneLineNamingTheProblem_exit1(text: String, problem: String) throws {
        let directory = URL(fileURLWithPath: "/tmp/wt-conf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = try WaltBinary.run(["--config", path, "--state-dir", directory.path, "--bind", "127.0.0.1"],
                                         personality: "walt-server-daemon")
        #expect(outcome.status == 1)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("invalid configuration at \(path), \(problem)"), "\(outcome.stderr)")
        // Nothing was started: no cluster was created.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("postgresql").path))
    }

    @Test func testMissingExplicitConfig_exit1() throws {
        let outcome = try WaltBinary.run(["--config", "/nonexistent/server.conf", "--state-dir", "/tmp/wt-none", "--bind", "127.0.0.1"],
                                         personality: "walt-server-daemon")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("missing configuration file at /nonexistent/server.conf"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
}
