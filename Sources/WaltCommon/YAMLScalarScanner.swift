/// Reads keys and scalars off one line of YAML, for `YAMLParser`.
struct YAMLScalarScanner {
    private let chars: [Character]
    private var position = 0
    private let line: Int

    init(_ text: Substring, line: Int) {
        chars = Array(text)
        self.line = line
    }

    var atEnd: Bool { position >= chars.count }
    var atQuote: Bool { !atEnd && (chars[position] == "'" || chars[position] == "\"") }
    var atComment: Bool { !atEnd && chars[position] == "#" }

    mutating func take(_ character: Character) -> Bool {
        guard !atEnd, chars[position] == character else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while !atEnd, chars[position] == " " || chars[position] == "\t" { position += 1 }
    }

    /// Refuses the YAML features this reader does not handle, by their first character.
    func refuseUnsupported() throws(ConfigError) {
        guard !atEnd else { return }
        let next = position + 1 < chars.count ? chars[position + 1] : " "
        switch chars[position] {
        case "-" where next == " " || next == "\t": throw ConfigError(line: line, "lists are not supported")
        case "{", "[": throw ConfigError(line: line, "flow collections are not supported")
        case "|", ">": throw ConfigError(line: line, "block scalars are not supported")
        case "&", "*", "!": throw ConfigError(line: line, "anchors, aliases and tags are not supported")
        case "?" where next == " ": throw ConfigError(line: line, "complex keys are not supported")
        case "@", "`", "%": throw ConfigError(line: line, "a plain value cannot start with '\(chars[position])'")
        default: return
        }
    }

    /// If the text starts with a list dash (`-` then a space or the end), consumes the dash
    /// and the spaces after it and returns how many characters that was (the column of the
    /// item's content, relative to the dash).
    mutating func takeDash() -> Int? {
        guard !atEnd, chars[position] == "-", position + 1 == chars.count || chars[position + 1] == " " else { return nil }
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
        for (flow, value) in [("[]", YAMLValue.sequence([])), ("{}", YAMLValue.mapping(YAMLMapping()))] {
            var copy = self
            if copy.take(flow.first!), copy.take(flow.last!) {
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
            let char = chars[position]
            if char == ":", position + 1 == chars.count || chars[position + 1] == " " || chars[position + 1] == "\t" {
                let key = String(chars[start..<position]).trimmingTrailingSpaces()
                position += 1
                guard !key.isEmpty else { throw ConfigError(line: line, "empty key") }
                return key
            }
            if char == "#", position > start, chars[position - 1] == " " { break }
            position += 1
        }
        throw ConfigError(line: line, "expected 'key: value'")
    }

    /// A plain value, up to a comment or the end of the line.
    mutating func plainValue() throws(ConfigError) -> String {
        let start = position
        while !atEnd {
            let char = chars[position]
            if char == "#", chars[position - 1] == " " || chars[position - 1] == "\t" { break }
            if char == ":", position + 1 == chars.count || chars[position + 1] == " " {
                throw ConfigError(line: line, "a value cannot contain ': ' unless it is quoted")
            }
            position += 1
        }
        return String(chars[start..<position]).trimmingTrailingSpaces()
    }

    /// A single- or double-quoted scalar, which must end on this line.
    mutating func quoted() throws(ConfigError) -> String {
        let quote = chars[position]
        position += 1
        var text = ""
        while !atEnd {
            let char = chars[position]
            position += 1
            if char == quote {
                if quote == "'", take("'") { text.append("'"); continue }
                return text
            }
            if quote == "\"", char == "\\" {
                text.unicodeScalars.append(try escape())
            } else {
                text.append(char)
            }
        }
        throw ConfigError(line: line, "unterminated quoted string")
    }

    /// The character after a backslash in a double-quoted scalar.
    private mutating func escape() throws(ConfigError) -> Unicode.Scalar {
        guard !atEnd else { throw ConfigError(line: line, "unterminated quoted string") }
        let char = chars[position]
        position += 1
        let simple: [Character: Unicode.Scalar] = [
            "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}",
            "f": "\u{0C}", "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\",
            "N": "\u{85}", "_": "\u{A0}", "L": "\u{2028}", "P": "\u{2029}",
        ]
        if let scalar = simple[char] { return scalar }
        let digits: Int
        switch char {
        case "x": digits = 2
        case "u": digits = 4
        case "U": digits = 8
        default: throw ConfigError(line: line, "unknown escape '\\\(char)' in a double-quoted string")
        }
        guard position + digits <= chars.count,
              let code = UInt32(String(chars[position..<position + digits]), radix: 16),
              let scalar = Unicode.Scalar(code)
        else { throw ConfigError(line: line, "bad '\\\(char)' escape in a double-quoted string") }
        position += digits
        return scalar
    }
}
