import Foundation
import Testing

/// Our `walt` and the official Python client 10.0, side by side against one daemon: same
/// stdout (and stderr where the text is fixed) and the same exit status.
@Suite(.serialized) struct ClientVersusPythonTests {
    /// Runs our binary as `walt` with `home` as HOME.
    private func ours(_ arguments: [String], home: URL, timeout: Double = 20) throws -> WaltBinary.Outcome {
        try WaltBinary.run(arguments, personality: "walt", environment: ["HOME": home.path], timeout: timeout)
    }

    private func expectSame(_ arguments: [String], python: PythonClient, stderrToo: Bool = true,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let theirs = try python.run(arguments)
        let mine = try ours(arguments, home: python.home)
        let command = arguments.joined(separator: " ")
        #expect(mine.stdout == theirs.stdout, "stdout of walt \(command)", sourceLocation: sourceLocation)
        #expect(mine.status == theirs.status, "status of walt \(command)", sourceLocation: sourceLocation)
        if stderrToo {
            #expect(mine.stderr == theirs.stderr, "stderr of walt \(command)", sourceLocation: sourceLocation)
        }
    }

    @Test func testRPCCommands_sameAsPythonClient() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        // Empty platform first.
        try expectSame(["node", "show"], python: alice)
        try expectSame(["node", "show", "--all"], python: alice)
        try expectSame(["log", "list-checkpoints"], python: alice)

        for lease in [
            ["commit", "walt.node.rpi-3-b", "", "192.168.183.7", "b8:27:eb:12:34:56", "", "0", "unknown"],
            ["commit", "", "walt.node.pc-x86-64", "192.168.183.9", "52:54:0:99:0:2", "Lab.PC", "0", "unknown"],
        ] {
            let outcome = try daemon.dhcpEvent(lease)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        for arguments in [
            ["node", "show"], ["node", "show", "--all"], ["node", "show", "--all", "--names-only"],
            ["node", "show", "--names-only"], ["device", "show"],
            ["node", "config", "no-such-node"], ["node", "rename", "no-such-node", "other"],
            ["node", "remove", "no-such-node"],
        ] {
            try expectSame(arguments, python: alice)
        }

        // Checkpoints: each client adds one, both list the same.
        let added = try alice.run(["log", "add-checkpoint", "first"])
        let mine = try ours(["log", "add-checkpoint", "second"], home: alice.home)
        #expect(added.status == 0 && mine.status == 0)
        #expect(mine.stdout.hasPrefix("New checkpoint second recorded at server time: "), "\(mine.stdout)")
        for arguments in [
            ["log", "list-checkpoints"], ["log", "add-checkpoint", "first"], ["log", "add-checkpoint", "bad_name"],
            ["log", "add-checkpoint", "--date", "-5q", "third"], ["log", "add-checkpoint", "--date", "yesterday", "third"],
            ["log", "remove-checkpoint", "no-such-checkpoint"],
        ] {
            try expectSame(arguments, python: alice)
        }
        // Removal changes state: each client removes its own checkpoint.
        let removedByPython = try alice.run(["log", "remove-checkpoint", "first"])
        let removedByUs = try ours(["log", "remove-checkpoint", "second"], home: alice.home)
        #expect(removedByUs.stdout == removedByPython.stdout && removedByUs.status == removedByPython.status)
        #expect(removedByUs.stderr == removedByPython.stderr)
        try expectSame(["log", "list-checkpoints"], python: alice)
        let relative = try ours(["log", "add-checkpoint", "--date", "-2h", "before"], home: alice.home)
        #expect(relative.status == 0 && relative.stdout.hasPrefix("New checkpoint before recorded"), "\(relative.stdout)")
        try expectSame(["log", "list-checkpoints"], python: alice)
    }

    @Test func testDaemonDown_oneLineErrorAndExit1() throws {
        let directory = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let walt = directory.appendingPathComponent(".walt")
        try FileManager.default.createDirectory(at: walt, withIntermediateDirectories: true)
        try "walt:\n    server: 127.9.8.6\n    username: alice\n"
            .write(to: walt.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let outcome = try ours(["node", "show"], home: directory, timeout: 15)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.hasPrefix("Network connection to WalT server failed!"), "\(outcome.stderr)")
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test func testMissingConfig_withoutTTY_oneLineErrorAndExit1() throws {
        let directory = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try ours(["node", "show"], home: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr == "walt: \(directory.path)/.walt/config lacks walt.server and walt.username and stdin is not a terminal to ask for it; run walt once in a terminal, or write that file\n")
        // Help still needs no configuration.
        #expect(try ours(["node", "show", "--help"], home: directory).status == 0)
    }

    @Test func testMalformedConfig_namesTheLine() throws {
        let directory = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let walt = directory.appendingPathComponent(".walt")
        try FileManager.default.createDirectory(at: walt, withIntermediateDirectories: true)
        try "walt:\n    server: 127.9.8.6\n\tusername: alice\n"
            .write(to: walt.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let outcome = try ours(["node", "show"], home: directory)
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "walt: \(walt.path)/config, line 3: tabs are not allowed in indentation\n")
    }
}
