// Whitespace trimming without Foundation, for protocol lines read off sockets.

extension String {
    /// The text without leading and trailing spaces, tabs, CR and LF (what Python's
    /// `bytes.strip()` removes from protocol lines, minus the rarer vertical whitespace).
    public var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Without trailing spaces and tabs.
    public func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
