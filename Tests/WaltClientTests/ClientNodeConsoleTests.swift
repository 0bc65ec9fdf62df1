import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// `walt node console` against a scripted server: the checks before it (ownership, one
/// virtual node), the `REQ_DUMP_LOGS` request, console records written raw (terminal
/// resets filtered), keys through `vnode_console_input`, and on a real pty the welcome,
/// the raw terminal, the `<ctrl-a>` shortcuts and the terminal put back.
@Suite(.serialized) struct ClientNodeConsoleTests {
    static let mac: PyValue = "52:54:00:00:00:01"
    static let info: PyValue = .dict([("name", "vn1"), (.str("mac"), mac), ("virtual", true), ("model", "pc-x86-64")])
    static let owned: PyValue = .tuple([.tuple(["vn1"]), .tuple([]), .tuple([]), .tuple([])])

    static func record(_ literal: String) -> [UInt8] {
        PickleEncoder.encode(.dict([("timestamp", .float(1.5)), ("line", .str(literal)), ("issuer", "vn1"),
                                    ("stream", "virtualconsole")]))
    }

    /// The keystrokes the server received.
    static func keys(_ server: FakeWaltServer) -> [[UInt8]] {
        server.calls.filter { $0.path == "vnode_console_input" }.compactMap { $0.args.last?.bytesValue }
    }

    /// A console server: the dump stream sends `records` once the request is read, then
    /// stays open (or closes after `bye` once `closeWhenTyped` was typed); `vnode_console_input`
    /// answers once the records are sent.
    static func consoleServer(nodes: PyValue = .list([info]), ownership: PyValue = owned, records: [String],
                              parameters: Recorder<PyValue?>, closeWhenTyped: String? = nil) throws -> FakeWaltServer {
        let sent = DispatchSemaphore(value: 0)
        let typed = Recorder<[UInt8]>()
        return try FakeWaltServer(answer: { call in
            switch call.path {
            case "filter_ownership": return ownership
            case "get_nodes_info": return nodes
            case "vnode_console_input":
                typed.add(call.args.last?.bytesValue ?? [])
                if sent.wait(timeout: .now() + 5) == .success { sent.signal() }
                usleep(100_000)
                return PyValue.none
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .dumpLogs else { return }
            parameters.add(stream.readPickle())
            for literal in records { stream.send(record(literal)) }
            sent.signal()
            guard let closeWhenTyped else {
                _ = stream.readToEOF()
                return
            }
            while !typed.values.contains(Array(closeWhenTyped.utf8)) { usleep(20_000) }
            stream.send(record(#"b'bye\r\n'"#))
        }
    }

    @Test func testWithoutTerminal_requestsTheConsoleStream_printsChunksRaw_sendsKeys() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.consoleServer(
            records: [#"b'hello\x1bc\r\n\x1b[2Jworld'"#, #"'not bytes'"#, #"b'!'"#], parameters: parameters)
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "console", "vn1"], home: try server.makeHome(), stdin: "ls\n")
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        #expect(outcome.stdout == "hello\r\nworld!")
        #expect(parameters.values == [.dict([
            ("history", .none), ("realtime", true), ("issuers", .tuple(["vn1"])),
            ("streams_regexp", "^virtualconsole$"), ("logline_regexp", .none),
        ])])
        #expect(server.calls == [
            .init(path: "filter_ownership", args: ["vn1"], kwargs: []),
            .init(path: "get_nodes_info", args: ["vn1"], kwargs: []),
            .init(path: "vnode_console_input", args: [Self.mac, .bytes(Array("ls\n".utf8))], kwargs: []),
        ])
    }

    @Test func testRefusals_noNode_severalNodes_physicalNode_declinedOwnership() throws {
        let parameters = Recorder<PyValue?>()
        let physical = PyValue.dict([("name", "rpi1"), (.str("mac"), Self.mac), ("virtual", false)])
        let cases: [(PyValue, String)] = [
            (.list([]), ""),
            (.list([Self.info, Self.info]), "Error: this command must target 1 node only.\n"),
            (.list([physical]), "Error: console is only available on virtual nodes.\n"),
        ]
        for (nodes, message) in cases {
            let server = try Self.consoleServer(nodes: nodes, records: [], parameters: parameters)
            defer { server.stop() }
            let outcome = try WaltProcess.run(["node", "console", "vn1"], home: try server.makeHome())
            #expect(outcome.status == 0)
            #expect(outcome.stderr == message)
            #expect(outcome.stdout == "")
            #expect(server.callPaths == ["filter_ownership", "get_nodes_info"])
        }
        let theirs = PyValue.tuple([.tuple([]), .tuple([]), .tuple(["vn1"]), .tuple([])])
        let server = try Self.consoleServer(ownership: theirs, records: [], parameters: parameters)
        defer { server.stop() }
        let declined = try WaltProcess.run(["node", "console", "vn1"], home: try server.makeHome(), stdin: "n\n")
        #expect(declined.status == 0)
        #expect(declined.stderr == "Warning: node vn1 seems to be used by another user.\n")
        #expect(declined.stdout == "Are you sure? (y/n): Aborted.\n")
        #expect(server.callPaths == ["filter_ownership"])
        #expect(parameters.values.isEmpty, "no stream was opened")
    }

    @Test func testKeys_escapeShortcuts() {
        var keys = ConsoleKeys()
        #expect(keys.received(Array("ls\r".utf8)) == .send(Array("ls\r".utf8)))
        #expect(keys.received([1]) == .nothing && keys.escaping)
        #expect(keys.received(Array("a".utf8)) == .send([1]))
        #expect(keys.received([1]) == .nothing)
        #expect(keys.received([1]) == .send([1]))
        #expect(keys.received([1]) == .nothing)
        #expect(keys.received(Array("x".utf8)) == .nothing && !keys.escaping)
        #expect(keys.received(Array("d".utf8)) == .send(Array("d".utf8)))
        #expect(keys.received([1, UInt8(ascii: "d")]) == .send([1, UInt8(ascii: "d")]), "a chunk is judged whole")
        #expect(keys.received([1]) == .nothing)
        #expect(keys.received(Array("d".utf8)) == .disconnect)
        #expect(ConsoleRelay.filtered(Array("a\u{1B}cb\u{1B}[2Jc\u{1B}[2\u{1B}".utf8)) == Array("abc\u{1B}[2\u{1B}".utf8))
    }

    @Test func testOnATerminal_welcome_rawKeys_shortcuts_farewell_terminalRestored() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.consoleServer(records: [#"b'\x1b[2Jlogin: '"#], parameters: parameters)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "console", "vn1"], environment: PtySessionTests.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("Type <enter> to validate, or <ctrl-c> to abort: "), "shown: \(pty.shownText)")
        #expect(pty.shownText.hasPrefix("\r\nThis will connect to the virtual node console. You can use <ctrl-a> <d> to quit.\r\n"
            + "See 'walt help show node-console' for more info.\r\n\r\n"), "no spinner: \(pty.shownText)")
        pty.type("\r")
        #expect(pty.waitFor("OK, connecting.\r\n\u{1B}[2J\u{1B}[Hlogin: "), "shown: \(pty.shownText)")
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 }, "the terminal never went raw")
        func typeAndWait(_ key: String, count: Int) {
            pty.type(key)
            #expect(pty.waitUntil { Self.keys(server).count == count }, "after \(key.debugDescription): \(Self.keys(server))")
        }
        typeAndWait("r", count: 1)
        typeAndWait("\u{03}", count: 2)   // Ctrl-C is a key for the node
        pty.type("\u{01}")
        usleep(300_000)
        typeAndWait("a", count: 3)
        pty.type("\u{01}")
        usleep(300_000)
        pty.type("x")
        usleep(300_000)
        typeAndWait("z", count: 4)
        pty.type("\u{01}")
        usleep(300_000)
        pty.type("d")
        let status = pty.waitForExit()
        #expect(status == 0, "status \(String(describing: status)), shown: \(pty.shownText)")
        #expect(pty.shownText.hasSuffix("login: \u{1B}c\r\nDisconnected from console.\r\n"), "shown: \(pty.shownText)")
        #expect(PtyProcess.sameSettings(pty.settings, before), "terminal settings not restored")
        #expect(Self.keys(server) == [[UInt8(ascii: "r")], [3], [1], [UInt8(ascii: "z")]])
        #expect(!pty.shownText.contains("Server is working"))
    }

    @Test func testOnATerminal_ctrlCAtTheWelcome_aborts() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.consoleServer(records: [], parameters: parameters)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "console", "vn1"], environment: PtySessionTests.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("<ctrl-c> to abort: "))
        pty.type("\u{03}")
        #expect(pty.waitFor("Aborted.\r\n"), "shown: \(pty.shownText)")
        let status = pty.waitForExit()
        #expect(status.map { ($0 >> 8) & 0xff } == 1, "status \(String(describing: status))")
        #expect(pty.shownText.hasSuffix("\r\nAborted.\r\n"), "shown: \(pty.shownText)")
        #expect(!pty.shownText.contains("OK, connecting."))
        #expect(PtyProcess.sameSettings(pty.settings, before))
        #expect(Self.keys(server).isEmpty)
    }

    @Test func testOnATerminal_theStreamEnding_endsTheConsole() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.consoleServer(records: [#"b'login: '"#], parameters: parameters, closeWhenTyped: "\r")
        defer { server.stop() }
        let pty = try PtyProcess(["node", "console", "vn1"], environment: PtySessionTests.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("<ctrl-c> to abort: "))
        pty.type("\r")
        #expect(pty.waitFor("login: "))
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 })
        pty.type("\r")
        #expect(pty.waitFor("Disconnected from console.\r\n"), "shown: \(pty.shownText)")
        let status = pty.waitForExit()
        #expect(status == 0, "status \(String(describing: status))")
        #expect(pty.shownText.hasSuffix("login: bye\r\n\u{1B}c\r\nDisconnected from console.\r\n"), "shown: \(pty.shownText)")
        #expect(PtyProcess.sameSettings(pty.settings, before))
    }

    @Test func testOnATerminal_sigterm_restoresTheTerminalThenDies() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.consoleServer(records: [#"b'login: '"#], parameters: parameters)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "console", "vn1"], environment: PtySessionTests.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("<ctrl-c> to abort: "))
        pty.type("\r")
        #expect(pty.waitFor("login: "))
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 })
        kill(pty.pid, SIGTERM)
        let status = pty.waitForExit()
        #expect(status.map { $0 & 0x7f } == SIGTERM, "status \(String(describing: status))")
        #expect(PtyProcess.sameSettings(pty.settings, before))
    }
}
