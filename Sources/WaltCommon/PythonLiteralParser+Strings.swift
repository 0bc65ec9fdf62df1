// String and bytes literals: prefixes (r, u, b, rb/br in any case), both quote styles,
// triple quotes, adjacent-literal concatenation, and every escape Python 3.11 knows except
// `\N{name}` (it needs the Unicode name database), which is refused.

extension PythonLiteralParser {
    struct StringPrefix {
        var raw = false
        var bytes = false
    }

    /// The prefix of a string literal starting at `pos` (letters then a quote), if any.
    func stringPrefix(at start: Int) -> (prefix: StringPrefix, length: Int)? {
        var i = start
        var prefix = StringPrefix()
        var unicode = false
        while i < bytes.count, i - start < 3 {
            switch bytes[i] | 0x20 {
            case UInt8(ascii: "r") where !prefix.raw: prefix.raw = true
            case UInt8(ascii: "b") where !prefix.bytes && !unicode: prefix.bytes = true
            case UInt8(ascii: "u") where i == start: unicode = true
            default:
                guard bytes[i] == UInt8(ascii: "'") || bytes[i] == UInt8(ascii: "\"") else { return nil }
                if unicode && (prefix.raw || i - start > 1) { return nil }
                return (prefix, i - start)
            }
            i += 1
        }
        return nil
    }

    /// One or more adjacent string literals, all str or all bytes.
    mutating func parseStrings() throws(PythonLiteralError) -> PyValue {
        var isBytes: Bool?
        var content: [UInt8] = []
        while let (prefix, length) = stringPrefix(at: pos) {
            if let isBytes, isBytes != prefix.bytes { throw syntax("cannot mix bytes and nonbytes literals") }
            isBytes = prefix.bytes
            pos += length
            try parseStringBody(prefix, into: &content)
            skipSpace()
        }
        guard let isBytes else { throw syntax("expected a string literal") }
        if isBytes { return .bytes(content) }
        return .str(String(decoding: content, as: UTF8.self))
    }

    /// From the opening quote to after the closing one; appends bytes (UTF-8 for str).
    mutating func parseStringBody(_ prefix: StringPrefix, into out: inout [UInt8]) throws(PythonLiteralError) {
        guard let quote = current else { throw syntax("expected a quote") }
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        while true {
            guard let c = current else { throw syntax("unterminated string literal") }
            if c == quote {
                if !triple {
                    pos += 1
                    return
                }
                if peek(1) == quote && peek(2) == quote {
                    pos += 3
                    return
                }
            }
            if c == 0x0a && !triple { throw syntax("newline in a single-quoted string literal") }
            if prefix.bytes && c >= 0x80 { throw syntax("bytes can only contain ASCII literal characters") }
            if c == UInt8(ascii: "\\") {
                guard let next = peek(1) else { throw syntax("unterminated string literal") }
                if prefix.raw {
                    // Raw: the backslash stays, and protects a following quote or backslash.
                    out.append(c)
                    pos += 1
                    if next == quote || next == UInt8(ascii: "\\") {
                        out.append(next)
                        pos += 1
                    }
                    continue
                }
                try parseEscape(bytesLiteral: prefix.bytes, into: &out)
                continue
            }
            out.append(c)
            pos += 1
        }
    }

    /// At a backslash of a non-raw literal.
    mutating func parseEscape(bytesLiteral: Bool, into out: inout [UInt8]) throws(PythonLiteralError) {
        let start = pos
        pos += 1
        guard let c = current else { throw syntax("unterminated string literal") }
        pos += 1
        switch c {
        case 0x0a: return
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(c)
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0c)
        case UInt8(ascii: "n"): out.append(0x0a)
        case UInt8(ascii: "r"): out.append(0x0d)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0b)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var value = UInt32(c - UInt8(ascii: "0"))
            var count = 1
            while count < 3, let d = current, d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") {
                value = value * 8 + UInt32(d - UInt8(ascii: "0"))
                pos += 1
                count += 1
            }
            if bytesLiteral {
                out.append(UInt8(truncatingIfNeeded: value))
            } else {
                try appendScalar(value, into: &out, offset: start)
            }
        case UInt8(ascii: "x"):
            let value = try hexDigits(2, offset: start)
            if bytesLiteral { out.append(UInt8(value)) } else { try appendScalar(value, into: &out, offset: start) }
        case UInt8(ascii: "u") where !bytesLiteral:
            try appendScalar(try hexDigits(4, offset: start), into: &out, offset: start)
        case UInt8(ascii: "U") where !bytesLiteral:
            try appendScalar(try hexDigits(8, offset: start), into: &out, offset: start)
        case UInt8(ascii: "N") where !bytesLiteral:
            throw .unsupported("\\N{...} escapes need the Unicode name database", offset: start)
        default:
            // Unknown escapes keep their backslash (Python warns but accepts them).
            out.append(UInt8(ascii: "\\"))
            pos -= 1
        }
    }

    mutating func hexDigits(_ count: Int, offset: Int) throws(PythonLiteralError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = current, let digit = Self.hexValue(c) else {
                throw .syntax("truncated \\x, \\u or \\U escape", offset: offset)
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    func appendScalar(_ value: UInt32, into out: inout [UInt8], offset: Int) throws(PythonLiteralError) {
        guard let scalar = Unicode.Scalar(value) else {
            if value > 0x10ffff { throw .syntax("illegal Unicode character", offset: offset) }
            throw .unsupported("lone surrogate \\u\(String(value, radix: 16)) cannot be held in a str here", offset: offset)
        }
        var text = ""
        text.unicodeScalars.append(scalar)
        out.append(contentsOf: text.utf8)
    }
}
