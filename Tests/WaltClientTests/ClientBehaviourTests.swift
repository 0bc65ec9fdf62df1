import Testing
import WaltCommon

@testable import WaltClient

/// Client-side pieces of the RPC commands: sentences, checkpoint rules, callbacks, the
/// busy indicator and the first-run error.
@Suite struct ClientBehaviourTests {
    @Test func testSentenceFormat_asUpstream() {
        let device = { (items: [String]) in
            SentenceFormat.format("Error: %s is(are) not a() WalT node(nodes).", items: items, none: "", singular: "Device", plural: "Devices")
        }
        #expect(device(["sw1"]) == "Error: device sw1 is not a walt node.")
        #expect(device(["b", "a"]).replacingAll(" ", collapsingDoubles: true) == "Error: devices a and b are not walt nodes.")
        let warning = SentenceFormat.format(
            "Warning: %s seems(seem) to be used by another(other) user(users).", items: ["n3", "n1", "n2"], none: "",
            singular: "Node", plural: "Nodes")
        #expect(warning == "Warning: nodes n1, n2 and n3 seem to be used by other users.")
        let many = SentenceFormat.format("%s is(are) yours.", items: (1...6).map { "n\($0)" }, none: "", singular: "Node", plural: "Nodes")
        #expect(many == "6 nodes are yours.")
    }

    @Test func testCheckpointRules() {
        #expect(Checkpoints.isValidName("cp1"))
        #expect(Checkpoints.isValidName("a-b"))
        #expect(!Checkpoints.isValidName("a"))
        #expect(!Checkpoints.isValidName("-ab"))
        #expect(!Checkpoints.isValidName("a_b"))
        #expect(Checkpoints.relativeDelay("-6h") == 6 * 3600)
        #expect(Checkpoints.relativeDelay("-10s") == 10)
        #expect(Checkpoints.relativeDelay("-5q") == nil)
        #expect(Checkpoints.relativeDelay("-h") == nil)
        #expect(Checkpoints.localTimestamp("2015-09-28 15:16:39") != nil)
        #expect(Checkpoints.localTimestamp("2015-09-28T15:16:39") == nil)
        #expect(Checkpoints.localTimestamp("2015-13-28 15:16:39") == nil)
    }

    @Test func testCallbacks_answerAsUpstreamsService() throws {
        var out = "", err = ""
        let busy = BusyIndicator(enabled: false, write: { out += $0 })
        let callbacks = ClientCallbacks(username: "alice", busy: busy, writeOutput: { out += $0 }, writeError: { err += $0 })
        #expect(try callbacks.handle("get_username", []) == "alice")
        #expect(try callbacks.handle("is_alive", []) == true)
        #expect(try callbacks.handle("get_client_type", []) == "cli")
        #expect(try callbacks.handle("has_hook", ["client_hard_reboot"]) == false)
        #expect(try callbacks.handle("stdout.write", ["hello\n"]) == .none)
        #expect(try callbacks.handle("stderr.write", ["oops\n"]) == .none)
        #expect(try callbacks.handle("stdout.flush", []) == .none)
        #expect(try callbacks.handle("stdout.get_encoding", []) == "utf-8")
        #expect(try callbacks.handle("stdout.fileno", []) == 1)
        #expect(try callbacks.handle("set_busy_label", ["Rebooting"]) == .none)
        #expect(busy.label == "Rebooting")
        #expect(try callbacks.handle("set_default_busy_label", []) == .none)
        #expect(busy.label == BusyIndicator.defaultLabel)
        #expect(try callbacks.handle("filesystem.get_file_type", ["/"]) == "d")
        #expect(try callbacks.handle("filesystem.get_file_type", ["/no/such/path"]) == .none)
        #expect(try callbacks.handle("filesystem.get_completions", ["/pro"]) == .tuple(["/proc/"]))
        #expect(try callbacks.handle("no.such.callback", []) == .none)
        #expect(out == "hello\n")
        #expect(err == "oops\n")
    }

    @Test func testBusyIndicator_drawsAndErases() {
        var shown = ""
        let busy = BusyIndicator(enabled: true, write: { shown += $0 })
        busy.start()
        busy.update()
        busy.erase()
        #expect(shown == "Server is working... \\" + "\r" + String(repeating: " ", count: 22) + "\r" + "Server is working... |"
            + "\r" + String(repeating: " ", count: 22) + "\r")
        var silent = ""
        let off = BusyIndicator(enabled: false, write: { silent += $0 })
        off.start()
        off.update()
        off.erase()
        #expect(silent.isEmpty)
    }

    @Test func testFirstRun_withoutTerminal_failsOnOneLine() {
        let setup = FirstRunSetup(file: ConfigFile(home: "/home/x"), terminal: Terminal(write: { _ in })) { _, _ in .ok }
        var config = WaltConfig()
        config.server = "s"
        #expect(throws: ClientError.self) { try setup.resolve(config, interactive: false) }
        #expect(setup.notInteractiveError(config).line
            == "walt: /home/x/.walt/config lacks walt.username and stdin is not a terminal to ask for it; run walt once in a terminal, or write that file\n")
    }

    @Test func testLinkErrors_useUpstreamWording() {
        #expect(RPCServerLink.linkError(.init("refused")).line == "Network connection to WalT server failed! (refused)\n")
        #expect(RPCServerLink.linkError(.init("x", kind: .protocolViolation)).line.hasPrefix("Issue occured while communicating with WalT server!"))
        #expect(RPCServerLink.linkError(.init("boom", kind: .serverException)).line == "Unexpected server-side issue! boom\n")
    }
}
