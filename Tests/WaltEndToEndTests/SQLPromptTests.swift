import Foundation
import Testing

/// `walt advanced sql` on our daemon: the SQL prompt stream runs psql on the daemon's own
/// database (here its embedded cluster), with our client and the Python client 10.0; SQL on
/// standard input, the answer on standard output.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/psql"), "needs psql (postgresql-client)"))
struct SQLPromptTests {
    @Test func testSQLPrompt_runsPsqlOnTheDaemonsDatabase() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let python = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let lease = ["commit", "walt.node.rpi-3-b", "", "192.168.152.7", "b8:27:eb:12:34:56", "", "0", "unknown"]
        #expect(try daemon.dhcpEvent(lease).status == 0)
        let query = "SELECT name || ' is a ' || type FROM devices ORDER BY name;\n"
        let ours = try WaltBinary.run(["advanced", "sql"], personality: "walt", environment: ["HOME": python.home.path],
                                      stdin: query)
        #expect(ours.status == 0, "\(ours)")
        #expect(ours.stdout.contains("Type \\dt for a list of tables."), "\(ours)")
        #expect(ours.stdout.contains("node-123456 is a node") && ours.stdout.contains("walt-server is a server"), "\(ours)")
        let theirs = try WaltBinary.run(["advanced", "sql"], executable: python.executable,
                                        environment: ["HOME": python.home.path], stdin: query)
        #expect(theirs.stdout.contains("node-123456 is a node"), "\(theirs)")
    }
}
