/// Writes JSON text byte for byte as Python's `json.dumps` with its defaults (what bottle
/// uses for a dict returned by a route): `", "` and `": "` separators, no indentation, and
/// `ensure_ascii`, so anything outside ASCII is a `\uXXXX` escape (UTF-16 surrogate pairs
/// above U+FFFF) and the body is pure ASCII.
enum JSONWriter {
    static func text(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    static func write(_ value: JSONValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                write(item, to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += ", " }
                writeString(pair.key, to: &out)
                out += ": "
                write(pair.value, to: &out)
            }
            out += "}"
        }
    }

    /// Python's `py_encode_basestring_ascii`: the two-character escapes it knows, `\u00XX`
    /// for everything else outside `' '...'~'` (DEL included), lowercase hex.
    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                let value = scalar.value
                if value < 0x20 || value > 0x7E {
                    if value > 0xFFFF {
                        let offset = value - 0x10000
                        out += hex4(0xD800 + (offset >> 10)) + hex4(0xDC00 + (offset & 0x3FF))
                    } else {
                        out += hex4(value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
