/// A small YAML reader for WalT's configuration files (`~/.walt/config`,
/// `/etc/walt/server.conf`): block mappings and block sequences nested by indentation
/// (including PyYAML's indentless `key:\n- item` lists), plain, single- and double-quoted
/// scalars on one line, empty `[]` / `{}`, comments, blank lines and `---`.
///
/// Everything else YAML allows (non-empty flow collections, block scalars, anchors, tags,
/// multi-line scalars) is refused with an error naming the line, instead of being guessed.
public enum YAMLParser {
    /// One logical line: `key: value`, `key:`, or a list item's dash. A source line
    /// `- key: value` gives two: the dash, then the entry at the key's column.
    struct Line {
        enum Kind {
            /// `value` is nil for `key:` with nothing after it.
            case entry(key: String, value: YAMLValue?)
            /// `value` is nil when the item's content is on this line's entry or nested below.
            case item(value: YAMLValue?)
        }

        let number: Int
        let indent: Int
        let kind: Kind

        var isItem: Bool {
            if case .item = kind { return true }
            return false
        }
    }

    /// The top-level mapping of `text` (empty for a file with no content). Lists are
    /// refused unless `allowLists` (the client's file has none, and its writer keeps none).
    ///
    /// Lines are cut on UTF-8 bytes: a `Character` split keeps "\r\n" as one character, so a
    /// file with Windows line ends read as a single line; and bytes spare every start of
    /// the client the grapheme machinery.
    public static func parse(_ text: String, allowLists: Bool = false) throws(ConfigError) -> YAMLMapping {
        var lines: [Line] = []
        var sawContent = false
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var number = 0
        while true {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            number += 1
            var line = utf8[lineStart..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let indent = line.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let content = Substring(line.dropFirst(indent.count))
            if !content.isEmpty && content.utf8.first != UInt8(ascii: "#") {
                if indent.contains(UInt8(ascii: "\t")) { throw ConfigError(line: number, "tabs are not allowed in indentation") }
                if indent.isEmpty, content == "---" || content.hasPrefix("--- ") || content == "..." {
                    if sawContent && content != "..." { throw ConfigError(line: number, "only one YAML document is supported") }
                } else {
                    sawContent = true
                    try split(content, number: number, indent: indent.count, allowLists: allowLists, into: &lines)
                }
            }
            if lineEnd == utf8.endIndex { break }
            lineStart = utf8.index(after: lineEnd)
        }
        guard let first = lines.first else { return YAMLMapping() }
        if first.isItem { throw ConfigError(line: first.number, "the top level must be a mapping, not a list") }
        var index = 0
        let mapping = try parseMapping(lines, &index, indent: first.indent)
        if index < lines.count { throw ConfigError(line: lines[index].number, "unexpected indentation") }
        return mapping
    }

    private static func parseBlock(_ lines: [Line], _ index: inout Int, indent: Int) throws(ConfigError) -> YAMLValue {
        lines[index].isItem ? .sequence(try parseSequence(lines, &index, indent: indent))
            : .mapping(try parseMapping(lines, &index, indent: indent))
    }

    private static func parseMapping(_ lines: [Line], _ index: inout Int, indent: Int) throws(ConfigError) -> YAMLMapping {
        var mapping = YAMLMapping()
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent { throw ConfigError(line: line.number, "unexpected indentation") }
            guard case .entry(let key, let value) = line.kind else {
                throw ConfigError(line: line.number, "a list item where a 'key: value' line was expected")
            }
            index += 1
            let next = index < lines.count ? lines[index] : nil
            if let value {
                if let next, next.indent > indent {
                    throw ConfigError(line: next.number, "unexpected indentation (\(key) already has a value)")
                }
                mapping.set(key, value, line: line.number)
            } else if let next, next.indent > indent {
                mapping.set(key, try parseBlock(lines, &index, indent: next.indent), line: line.number)
            } else if let next, next.indent == indent, next.isItem {
                mapping.set(key, .sequence(try parseSequence(lines, &index, indent: indent)), line: line.number)
            } else {
                mapping.set(key, .null, line: line.number)
            }
        }
        return mapping
    }

    private static func parseSequence(_ lines: [Line], _ index: inout Int, indent: Int) throws(ConfigError) -> [YAMLValue] {
        var items: [YAMLValue] = []
        while index < lines.count, lines[index].indent == indent, case .item(let value) = lines[index].kind {
            index += 1
            let next = index < lines.count ? lines[index] : nil
            if let value {
                if let next, next.indent > indent { throw ConfigError(line: next.number, "unexpected indentation") }
                items.append(value)
            } else if let next, next.indent > indent {
                items.append(try parseBlock(lines, &index, indent: next.indent))
            } else {
                items.append(.null)
            }
        }
        if index < lines.count, lines[index].indent > indent {
            throw ConfigError(line: lines[index].number, "unexpected indentation")
        }
        return items
    }

    /// Splits one source line (the content after the indentation) into logical lines.
    private static func split(_ content: Substring, number: Int, indent: Int, allowLists: Bool,
                              into lines: inout [Line]) throws(ConfigError) {
        var scanner = YAMLScalarScanner(content, line: number)
        if let offset = scanner.takeDash() {
            guard allowLists else { throw ConfigError(line: number, "lists are not supported") }
            let rest = Substring(content.utf8.dropFirst(offset))
            if rest.isEmpty || rest.first == "#" {
                lines.append(Line(number: number, indent: indent, kind: .item(value: nil)))
            } else if YAMLScalarScanner(rest, line: number).startsEntryOrItem {
                lines.append(Line(number: number, indent: indent, kind: .item(value: nil)))
                try split(rest, number: number, indent: indent + offset, allowLists: allowLists, into: &lines)
            } else {
                var item = YAMLScalarScanner(rest, line: number)
                lines.append(Line(number: number, indent: indent, kind: .item(value: try item.valueToEnd())))
            }
            return
        }
        try scanner.refuseUnsupported()
        let key: String
        if scanner.atQuote {
            key = try scanner.quoted()
            scanner.skipSpaces()
            guard scanner.take(":") else { throw ConfigError(line: number, "expected ':' after the quoted key") }
        } else {
            key = try scanner.plainKey()
        }
        guard scanner.atEnd || scanner.take(" ") || scanner.take("\t") else {
            throw ConfigError(line: number, "expected a space after ':'")
        }
        scanner.skipSpaces()
        if scanner.atEnd || scanner.atComment {
            lines.append(Line(number: number, indent: indent, kind: .entry(key: key, value: nil)))
            return
        }
        let value = try scanner.valueToEnd(of: key)
        lines.append(Line(number: number, indent: indent, kind: .entry(key: key, value: value)))
    }
}
