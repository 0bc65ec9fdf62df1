/// A small YAML reader for `~/.walt/config`: block mappings nested by indentation, plain,
/// single-quoted and double-quoted scalars on one line, comments, blank lines and `---`.
///
/// Everything else YAML allows (lists, flow collections, block scalars, anchors, tags,
/// multi-line scalars) is refused with an error naming the line, instead of being guessed.
public enum YAMLParser {
    /// One `key: value` or `key:` line.
    struct Line {
        let number: Int
        let indent: Int
        let key: String
        /// nil for `key:` with nothing after it.
        let value: String?
    }

    /// The top-level mapping of `text` (empty for a file with no content).
    public static func parse(_ text: String) throws(ConfigError) -> YAMLMapping {
        var lines: [Line] = []
        var sawContent = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            var line = Substring(raw)
            if line.last == "\r" { line = line.dropLast() }
            let indentText = line.prefix { $0 == " " || $0 == "\t" }
            let content = line.dropFirst(indentText.count)
            if content.isEmpty || content.first == "#" { continue }
            if indentText.contains("\t") { throw ConfigError(line: number, "tabs are not allowed in indentation") }
            if indentText.isEmpty, content == "---" || content.hasPrefix("--- ") || content == "..." {
                if sawContent && content != "..." { throw ConfigError(line: number, "only one YAML document is supported") }
                continue
            }
            sawContent = true
            lines.append(try parseLine(content, number: number, indent: indentText.count))
        }
        guard let first = lines.first else { return YAMLMapping() }
        var index = 0
        let mapping = try parseMapping(lines, &index, indent: first.indent)
        if index < lines.count { throw ConfigError(line: lines[index].number, "unexpected indentation") }
        return mapping
    }

    private static func parseMapping(_ lines: [Line], _ index: inout Int, indent: Int) throws(ConfigError) -> YAMLMapping {
        var mapping = YAMLMapping()
        while index < lines.count {
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent { throw ConfigError(line: line.number, "unexpected indentation") }
            index += 1
            if let value = line.value {
                if index < lines.count, lines[index].indent > indent {
                    throw ConfigError(line: lines[index].number, "unexpected indentation (\(line.key) already has a value)")
                }
                mapping.set(line.key, .scalar(value), line: line.number)
            } else if index < lines.count, lines[index].indent > indent {
                let nested = try parseMapping(lines, &index, indent: lines[index].indent)
                mapping.set(line.key, .mapping(nested), line: line.number)
            } else {
                mapping.set(line.key, .null, line: line.number)
            }
        }
        return mapping
    }

    /// Splits `key: value` (the content after the indentation).
    private static func parseLine(_ content: Substring, number: Int, indent: Int) throws(ConfigError) -> Line {
        var scanner = YAMLScalarScanner(content, line: number)
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
        if scanner.atEnd || scanner.atComment { return Line(number: number, indent: indent, key: key, value: nil) }
        try scanner.refuseUnsupported()
        let value = scanner.atQuote ? try scanner.quoted() : try scanner.plainValue()
        scanner.skipSpaces()
        guard scanner.atEnd || scanner.atComment else {
            throw ConfigError(line: number, "unexpected text after the value of \(key)")
        }
        return Line(number: number, indent: indent, key: key, value: value)
    }
}
