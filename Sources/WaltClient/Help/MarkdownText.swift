/// Turns a help topic's Markdown into the lines the pager shows: headings in bold,
/// paragraphs and list items wrapped to the width, code blocks kept as typed, and the
/// `walt help show <topic>` references collected as links the reader can follow.
///
/// Pure, so its layout is tested without a terminal.
struct MarkdownText: Equatable {
    /// A rendered line: its text with ANSI styles, and the link it holds, if any.
    struct Line: Equatable {
        var text: String
        var link: String?
    }

    var lines: [Line] = []

    static let bold = "\u{1B}[1m", underline = "\u{1B}[4m", reset = "\u{1B}[0m"

    init(markdown: String, width: Int) {
        let width = max(width, 20)
        var paragraph: [String] = []
        var indent = ""
        func flush() {
            guard !paragraph.isEmpty else { return }
            let words = paragraph.joined(separator: " ").split(separator: " ").map(String.init)
            emitWrapped(words, firstPrefix: indent, nextPrefix: String(repeating: " ", count: indent.count), width: width)
            paragraph = []
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.hasPrefix("    ") {  // a code block: as typed
                flush()
                lines.append(Line(text: "  " + raw, link: nil))
            } else if raw.trimmingSpaces.isEmpty {
                flush()
                if lines.last?.text.isEmpty == false { lines.append(Line(text: "", link: nil)) }
            } else if raw.hasPrefix("#") {
                flush()
                let title = String(raw.drop { $0 == "#" }).trimmingSpaces
                lines.append(Line(text: Self.bold + title + Self.reset, link: nil))
            } else if let item = Self.listItem(raw) {
                flush()
                indent = item.marker
                paragraph = [item.text]
            } else {
                if paragraph.isEmpty { indent = "" }
                paragraph.append(raw.trimmingSpaces)
            }
        }
        flush()
        while lines.last?.text.isEmpty == true { lines.removeLast() }
    }

    /// `* text`, `- text` or `1. text`: the marker (as the wrap indent) and the text.
    static func listItem(_ line: String) -> (marker: String, text: String)? {
        let trimmed = line.trimmingSpaces
        if trimmed.hasPrefix("* ") || trimmed.hasPrefix("- ") {
            return ("  • ", String(trimmed.dropFirst(2)))
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, trimmed.dropFirst(digits.count).hasPrefix(". ") {
            return ("  \(digits). ", String(trimmed.dropFirst(digits.count + 2)))
        }
        return nil
    }

    private mutating func emitWrapped(_ words: [String], firstPrefix: String, nextPrefix: String, width: Int) {
        var current = firstPrefix
        var visible = firstPrefix.count
        var atLineStart = true
        var link: String?
        var previous = ""
        var inCode = false
        for word in words {
            let shown = Self.styled(word, inCode: &inCode)
            if !atLineStart, visible + 1 + shown.visible > width {
                lines.append(Line(text: current, link: link))
                (current, visible, atLineStart, link) = (nextPrefix, nextPrefix.count, true, nil)
            }
            if !atLineStart {
                current += " "
                visible += 1
            }
            current += shown.text
            visible += shown.visible
            atLineStart = false
            let bare = Self.bare(word)
            if previous == "show", link == nil, HelpTopic.named(bare) != nil { link = bare }
            previous = bare
        }
        lines.append(Line(text: current, link: link))
    }

    /// Inline code (`` `x y` ``, over several words) underlined, stars of emphasis dropped.
    /// Each word closes its own styling, so a wrapped line never carries it over; the span
    /// goes on in `inCode`.
    static func styled(_ word: String, inCode: inout Bool) -> (text: String, visible: Int) {
        var text = inCode ? underline : ""
        var visible = 0
        for char in word {
            if char == "`" {
                text += inCode ? reset : underline
                inCode.toggle()
            } else if char == "*" && !inCode {
                continue
            } else {
                text.append(char)
                visible += 1
            }
        }
        if inCode { text += reset }
        return (text, visible)
    }

    /// A word without the quotes and punctuation around it.
    static func bare(_ word: String) -> String {
        let marks: Set<Character> = ["`", ",", ".", ")", "(", ";", ":"]
        return String(word.drop { marks.contains($0) }.reversed().drop { marks.contains($0) }.reversed())
    }
}
