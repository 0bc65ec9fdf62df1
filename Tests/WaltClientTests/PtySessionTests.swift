import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// `walt node shell` on a real pseudo-terminal against a scripted server: the parameters
/// of a tty session, keystrokes as `input_data` (Ctrl-C included: the terminal is raw), a
/// window resize as `window_resize`, and the terminal's settings put back however the
/// session ends (the user exits, the connection drops, a SIGTERM arrives).
@Suite(.serialized) struct PtySessionTests {
    /// What the fake node shell saw.
    final class ShellLog: @unchecked Sendable {
        let parameters = Recorder<PyValue?>()
        let events = Recorder<PtyEvent>()
    }

    /// A server whose node shell prints a prompt, records events, and ends on `exit\r`
    /// (printing `bye`) or drops the connection on Ctrl-C.
    static func shellServer(_ log: ShellLog) throws -> FakeWaltServer {
        try FakeWaltServer(answer: ClientNodeCommandsTests.nodeAnswers) { stream in
            guard stream.readRequest() == .nodeCommand else { return }
            stream.send("READY\n")
            log.parameters.add(stream.readPickle())
            stream.send("fake-shell$ ")
            var typed: [UInt8] = []
            while let value = stream.readPickle(), let event = try? PtyEvent(value) {
                log.events.add(event)
                guard case .inputData(let bytes) = event else { continue }
                typed += bytes
                if typed.contains(3) { return }   // drop the connection without a word
                if String(decoding: typed, as: UTF8.self).hasSuffix("exit\r") {
                    stream.send("bye\r\n")
                    return
                }
            }
        }
    }

    static func environment(home: URL) -> [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "LC_ALL": "C"]
    }

    /// Keystrokes typed after the terminal went raw.
    static func typedBytes(_ events: [PtyEvent]) -> [UInt8] {
        events.flatMap { event -> [UInt8] in
            if case .inputData(let bytes) = event { return bytes }
            return []
        }
    }

    @Test func testShell_keystrokesResizeAndExit_restoresTheTerminal() throws {
        let log = ShellLog()
        let server = try Self.shellServer(log)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "shell", "n1"], environment: Self.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("fake-shell$ "), "shown: \(pty.shownText)")
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 }, "the terminal never went raw")
        pty.type("ls\r")
        #expect(pty.waitUntil { Self.typedBytes(log.events.values) == Array("ls\r".utf8) })
        pty.resize(rows: 40, columns: 120)
        #expect(pty.waitUntil { log.events.values.contains(.windowResize(lines: 40, columns: 120)) })
        pty.type("exit\r")
        let status = pty.waitForExit()
        #expect(status == 0, "status \(String(describing: status)), shown: \(pty.shownText)")
        #expect(pty.shownText.contains("bye\r\n"))
        // The busy indicator (a terminal) is erased before the caution, which ends with a blank line.
        #expect(pty.shownText.contains("\rCaution: changes outside /persist will be lost on next node reboot.\r\n"
            + "Run 'walt help show shells' for more info.\r\n\r\nfake-shell$ "))
        #expect(PtyProcess.sameSettings(pty.settings, before), "terminal settings not restored")
        #expect(log.parameters.values == [.dict([
            ("node_ip", "192.0.2.10"), ("cmdargs", .tuple([])), ("ssh_tty", true),
            ("win_size", .array(PyArray([24, 80, 0, 0]))), ("env", .strDict(["TERM": "xterm-256color"])), ("tty_mode", true),
        ])])
        let events = log.events.values
        let resizeIndex = events.firstIndex(of: .windowResize(lines: 40, columns: 120))
        #expect(Self.typedBytes(Array(events[..<(resizeIndex ?? 0)])) == Array("ls\r".utf8))
        #expect(Self.typedBytes(events) == Array("ls\rexit\r".utf8))
        #expect(server.callPaths == ["filter_ownership", "get_nodes_ip", "wait_for_nodes"])
    }

    @Test func testShell_ctrlCIsAKeystroke_droppedConnectionRestoresTheTerminal() throws {
        let log = ShellLog()
        let server = try Self.shellServer(log)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "shell", "n1"], environment: Self.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("fake-shell$ "))
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 })
        pty.type("\u{03}")
        let status = pty.waitForExit()
        #expect(status == 0, "Ctrl-C must reach the remote shell, not stop walt")
        #expect(Self.typedBytes(log.events.values) == [3])
        #expect(PtyProcess.sameSettings(pty.settings, before))
    }

    @Test func testShell_sigterm_restoresTheTerminalThenDies() throws {
        let log = ShellLog()
        let server = try Self.shellServer(log)
        defer { server.stop() }
        let pty = try PtyProcess(["node", "shell", "n1"], environment: Self.environment(home: try server.makeHome()))
        let before = pty.initialSettings
        #expect(pty.waitFor("fake-shell$ "))
        #expect(pty.waitUntil { pty.settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 })
        kill(pty.pid, SIGTERM)
        let status = pty.waitForExit()
        #expect(status.map { $0 & 0x7f } == SIGTERM, "status \(String(describing: status))")
        #expect(PtyProcess.sameSettings(pty.settings, before))
    }
}
