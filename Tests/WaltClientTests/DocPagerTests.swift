import Foundation
import Testing

/// `walt help show` on a real pty: the pager takes the alternate screen, scrolls, follows a
/// topic link and comes back, quits with `q`, and leaves the terminal as it found it.
@Suite struct DocPagerTests {
    @Test func testPagerOnATerminal() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("walt-pager-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let pty = try PtyProcess(["help", "show", "tutorial"], environment: PtySessionTests.environment(home: home),
                                 rows: 12, columns: 80)
        let before = pty.initialSettings
        #expect(pty.waitFor("q: quit"), "footer: \(pty.shownText)")
        #expect(pty.shownText.contains("\u{1B}[?1049h"))
        #expect(pty.shownText.contains("A first session with WalT"))
        // Tab selects the first `walt help show` reference (shells), Enter opens it.
        pty.type("\t")
        pty.type("\r")
        #expect(pty.waitFor("Shells and where changes go"), "\(pty.shownText.suffix(800))")
        // Backspace comes back to the tutorial; space scrolls a page down.
        pty.type("\u{7F}")
        pty.drain(milliseconds: 300)
        pty.type(" ")
        pty.drain(milliseconds: 300)
        pty.type("q")
        #expect(pty.waitForExit() == 0)
        #expect(pty.shownText.hasSuffix("\u{1B}[?25h\u{1B}[?1049l"))
        var after = termios()
        tcgetattr(pty.terminal, &after)
        #expect(PtyProcess.sameSettings(before, after))
    }
}
