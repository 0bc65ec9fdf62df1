#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt help show` on a terminal: the topic on the alternate screen, scrolled with the
/// arrows, page keys and space, with the `walt help show` references as links (Tab moves
/// to the next one, Enter opens it, Backspace comes back), `q` to quit. The terminal is put
/// back on every exit path, and a window resize lays the text out again.
final class DocPager {
    private struct Page {
        var topic: String
        var top = 0
        var selected: Int?
    }

    private let terminal: RawTerminal
    private let signals = SignalPipe([SIGWINCH, SIGINT, SIGTERM, SIGHUP])
    private var pages: [Page]
    private var text = MarkdownText(markdown: "", width: 80)
    private var size = (rows: 24, columns: 80)

    static let footer = "<up>/<down>, <page-up>/<page-down>: scroll │ <tab>, <enter>/<backspace>: browse related topics │ <q>: quit"
    /// The same keys, for a window narrower than `footer`.
    static let shortFooter = "arrows, page keys: scroll │ tab, enter, backspace: related topics │ q: quit"

    init(topic: String, terminal: RawTerminal) {
        self.terminal = terminal
        pages = [Page(topic: topic)]
    }

    /// Runs until the reader quits; a terminating signal ends it as that signal would.
    func run() {
        var pendingSignal: Int32?
        write("\u{1B}[?1049h\u{1B}[?25l")
        terminal.makeRaw()
        layout()
        loop: while true {
            draw()
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            for signal in signals.take() {
                if signal == SIGWINCH { layout() } else { pendingSignal = signal; break loop }
            }
            if fds[0].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 16)
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                var quit = false
                for key in PagerKey.keys(in: Array(buffer[..<count])) where !quit { quit = !handle(key) }
                if quit { break }
            }
        }
        terminal.restore()
        write("\u{1B}[?25h\u{1B}[?1049l")
        signals.restore()
        if let pendingSignal { SignalPipe.reraise(pendingSignal) }
    }

    /// Applies a key; false when the reader quits.
    private func handle(_ key: PagerKey) -> Bool {
        let visible = max(size.rows - 2, 1)
        var page = pages[pages.count - 1]
        let last = max(text.lines.count - visible, 0)
        switch key {
        case .quit: return false
        case .up: page.top = max(page.top - 1, 0)
        case .down: page.top = min(page.top + 1, last)
        case .pageUp: page.top = max(page.top - visible, 0)
        case .pageDown: page.top = min(page.top + visible, last)
        case .home: page.top = 0
        case .end: page.top = last
        case .nextLink, .previousLink:
            let links = text.lines.indices.filter { text.lines[$0].link != nil }
            guard !links.isEmpty else { break }
            let current = page.selected.flatMap { links.firstIndex(of: $0) }
            let step = key == .nextLink ? 1 : links.count - 1
            let next = links[current.map { ($0 + step) % links.count } ?? (key == .nextLink ? 0 : links.count - 1)]
            page.selected = next
            if next < page.top || next >= page.top + visible { page.top = min(max(next - visible / 2, 0), last) }
        case .open:
            if let line = page.selected, let topic = text.lines[line].link {
                pages[pages.count - 1] = page
                pages.append(Page(topic: topic))
                layout()
                return true
            }
        case .back:
            if pages.count > 1 {
                pages.removeLast()
                layout()
                return true
            }
        case .other: break
        }
        pages[pages.count - 1] = page
        return true
    }

    /// Lays the current topic out for the window's size.
    private func layout() {
        if let window = terminal.windowSize, window.ws_row > 0, window.ws_col > 0 {
            size = (Int(window.ws_row), Int(window.ws_col))
        }
        let markdown = HelpTopic.named(pages[pages.count - 1].topic)?.markdown ?? ""
        text = MarkdownText(markdown: markdown, width: size.columns - 2)
        let last = max(text.lines.count - max(size.rows - 2, 1), 0)
        pages[pages.count - 1].top = min(pages[pages.count - 1].top, last)
    }

    private func draw() {
        let page = pages[pages.count - 1]
        let visible = max(size.rows - 2, 1)
        var screen = "\u{1B}[H\u{1B}[2J"
        for index in page.top..<min(page.top + visible, text.lines.count) {
            let line = text.lines[index]
            screen += index == page.selected ? " \u{1B}[7m" + line.text + "\u{1B}[0m\r\n" : " " + line.text + "\r\n"
        }
        screen += "\u{1B}[\(size.rows - 1);1H" + String(repeating: "━", count: size.columns) + "\r\n"
        let footer = Self.footer.count < size.columns ? Self.footer : Self.shortFooter
        screen += String(footer.prefix(size.columns - 1))
        write(screen)
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { WriteAll.write(1, UnsafeRawBufferPointer($0)) }
    }
}
