/// Reads keys and scalars off one line of YAML, for `YAMLParser`.
///
/// It scans UTF-8 bytes: every delimiter is ASCII, which never occurs inside a multi-byte
/// sequence, and PyYAML reads code points, not grapheme clusters, so a quote followed by
/// a combining mark still ends a string. Scanning bytes is also what keeps `walt`'s start
/// fast: `Character`s cost grapheme breaking and generic code the runtime has to resolve.
struct YAMLScalarScanner {
    private let chars: [UInt8]
    private var position = 0
    private let line: Int

    init(_ text: Substring, line: Int) {
        chars = Array(text.utf8)
        self.line = line
    }

    var atEnd: Bool { position >= chars.count }
    var atQuote: Bool { !atEnd && (chars[position] == UInt8(ascii: "'") || chars[position] == UInt8(ascii: "\"")) }
    var atComment: Bool { !atEnd && chars[position] == UInt8(ascii: "#") }

    /// Consumes `character` (ASCII) if it is next.
    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard !atEnd, chars[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while !atEnd, chars[position] == UInt8(ascii: " ") || chars[position] == UInt8(ascii: "\t") { position += 1 }
    }

    /// Refuses the YAML features this reader does not handle, by their first character.
    func refuseUnsupported() throws(ConfigError) {
        guard !atEnd else { return }
        let next = position + 1 < chars.count ? Unicode.Scalar(chars[position + 1]) : " "
        let first = Unicode.Scalar(chars[position])
        switch first {
        case "-" where next == " " || next == "\t": throw ConfigError(line: line, "lists are not supported")
        case "{", "[": throw ConfigError(line: line, "flow collections are not supported")
        case "|", ">": throw ConfigError(line: line, "block scalars are not supported")
        case "&", "*", "!": throw ConfigError(line: line, "anchors, aliases and tags are not supported")
        case "?" where next == " ": throw ConfigError(line: line, "complex keys are not supported")
        case "@", "`", "%": throw ConfigError(line: line, "a plain value cannot start with '\(first)'")
        default: return
        }
    }

    /// If the text starts with a list dash (`-` then a space or the end), consumes the dash
    /// and the spaces after it and returns how many characters (ASCII, so bytes too) that
    /// was: the column of the item's content, relative to the dash.
    mutating func takeDash() -> Int? {
        guard !atEnd, chars[position] == UInt8(ascii: "-"),
              position + 1 == chars.count || chars[position + 1] == UInt8(ascii: " ") else { return nil }
        position += 1
        skipSpaces()
        return position
    }

    /// True if the text is a `key: ...` entry or another dash, not a scalar list item.
    var startsEntryOrItem: Bool {
        var copy = self
        if copy.takeDash() != nil { return true }
        if copy.atQuote {
            guard (try? copy.quoted()) != nil else { return false }
            copy.skipSpaces()
            return copy.take(":")
        }
        return (try? copy.plainKey()) != nil
    }

    /// The scalar (or empty `[]` / `{}`) that ends the line, after an optional comment
    /// check; `key` names the entry in the error message.
    mutating func valueToEnd(of key: String? = nil) throws(ConfigError) -> YAMLValue {
        for (open, close, value) in [("[" as Unicode.Scalar, "]" as Unicode.Scalar, YAMLValue.sequence([])),
                                     ("{", "}", YAMLValue.mapping(YAMLMapping()))] {
            var copy = self
            if copy.take(open), copy.take(close) {
                copy.skipSpaces()
                if copy.atEnd || copy.atComment {
                    self = copy
                    return value
                }
            }
        }
        try refuseUnsupported()
        let value = atQuote ? try quoted() : try plainValue()
        skipSpaces()
        guard atEnd || atComment else {
            throw ConfigError(line: line, key.map { "unexpected text after the value of \($0)" } ?? "unexpected text after the value")
        }
        return .scalar(value)
    }

    /// A plain key, up to the `:` that ends it (followed by a space or the end of the line).
    mutating func plainKey() throws(ConfigError) -> String {
        let start = position
        while !atEnd {
            let char = Unicode.Scalar(chars[position])
            let next = position + 1 < chars.count ? Unicode.Scalar(chars[position + 1]) : "\n"
            if char == ":", next == "\n" || next == " " || next == "\t" {
                let key = text(start..<position).trimmingTrailingSpaces()
                position += 1
                guard !key.isEmpty else { throw ConfigError(line: line, "empty key") }
                return key
            }
            if char == "#", position > start, chars[position - 1] == UInt8(ascii: " ") { break }
            position += 1
        }
        throw ConfigError(line: line, "expected 'key: value'")
    }

    /// A plain value, up to a comment or the end of the line.
    mutating func plainValue() throws(ConfigError) -> String {
        let start = position
        while !atEnd {
            let char = Unicode.Scalar(chars[position])
            let previous = position > 0 ? Unicode.Scalar(chars[position - 1]) : "\n"
            if char == "#", previous == " " || previous == "\t" { break }
            if char == ":", position + 1 == chars.count || chars[position + 1] == UInt8(ascii: " ") {
                throw ConfigError(line: line, "a value cannot contain ': ' unless it is quoted")
            }
            position += 1
        }
        return text(start..<position).trimmingTrailingSpaces()
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: chars[range], as: UTF8.self)
    }

    /// A single- or double-quoted scalar, which must end on this line.
    mutating func quoted() throws(ConfigError) -> String {
        let quote = chars[position]
        position += 1
        var bytes: [UInt8] = []
        while !atEnd {
            let char = chars[position]
            position += 1
            if char == quote {
                if quote == UInt8(ascii: "'"), take("'") { bytes.append(char); continue }
                return String(decoding: bytes, as: UTF8.self)
            }
            if quote == UInt8(ascii: "\""), char == UInt8(ascii: "\\") {
                UTF8.encode(try escape()) { bytes.append($0) }
            } else {
                bytes.append(char)
            }
        }
        throw ConfigError(line: line, "unterminated quoted string")
    }

    /// The character after a backslash in a double-quoted scalar.
    private mutating func escape() throws(ConfigError) -> Unicode.Scalar {
        guard !atEnd else { throw ConfigError(line: line, "unterminated quoted string") }
        let start = position
        let char = Unicode.Scalar(chars[position])
        position += 1
        let digits: Int
        switch char {
        case "0": return "\0"
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "t", "\t": return "\t"
        case "n": return "\n"
        case "v": return "\u{0B}"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case " ", "\"", "/", "\\": return char
        case "N": return "\u{85}"
        case "_": return "\u{A0}"
        case "L": return "\u{2028}"
        case "P": return "\u{2029}"
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default:
            // The whole character, not its first byte, when it is not ASCII.
            var end = position
            while end < chars.count, chars[end] & 0xC0 == 0x80 { end += 1 }
            throw ConfigError(line: line, "unknown escape '\\\(text(start..<end))' in a double-quoted string")
        }
        guard position + digits <= chars.count,
              let code = UInt32(text(position..<position + digits), radix: 16),
              let scalar = Unicode.Scalar(code)
        else { throw ConfigError(line: line, "bad '\\\(char)' escape in a double-quoted string") }
        position += digits
        return scalar
    }
}
