/// Prints values exactly as CPython 3.11's `repr()` does: the legacy `line-repr-eval`
/// mode of WalT's RPC link sends `repr(tuple) + "\n"`, and nodes read it back with `eval`.
///
/// Covers quote choice and escapes of str and bytes, Python's shortest float repr, the
/// container spacing, and the reprs of datetime, array and exceptions.
public enum PythonRepr {
    /// CPython 3.11 refuses to convert ints of more than this many digits to decimal.
    public static let maxIntDigits = 4300

    /// `repr(value)`; throws only for an int of more than 4300 digits, like CPython.
    public static func repr(_ value: PyValue) throws(PythonLiteralError) -> String {
        var out = ""
        try write(value, to: &out)
        return out
    }

    static func write(_ value: PyValue, to out: inout String) throws(PythonLiteralError) {
        switch value {
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i):
            // 14_300 bits have more than 4300 digits: refuse before the quadratic conversion.
            guard i.bitLength <= 14_300 else { throw .integerTooLong(digits: Int(Double(i.bitLength) * 0.30103) + 1) }
            let text = i.description
            let digits = text.utf8.count - (i.isNegative ? 1 : 0)
            guard digits <= maxIntDigits else { throw .integerTooLong(digits: digits) }
            out += text
        case .float(let f): out += repr(f)
        case .str(let s): writeString(s, to: &out)
        case .bytes(let b): writeBytes(b, to: &out)
        case .tuple(let items):
            out += "("
            try writeItems(items, to: &out)
            if items.count == 1 { out += "," }
            out += ")"
        case .list(let items):
            out += "["
            try writeItems(items, to: &out)
            out += "]"
        case .dict(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += ", " }
                try write(pair.key, to: &out)
                out += ": "
                try write(pair.value, to: &out)
            }
            out += "}"
        case .datetime(let d):
            var fields = [d.year, d.month, d.day, d.hour, d.minute]
            if d.microsecond != 0 {
                fields += [d.second, d.microsecond]
            } else if d.second != 0 {
                fields.append(d.second)
            }
            out += "datetime.datetime(" + fields.map { String($0) }.joined(separator: ", ")
            out += d.fold == 1 ? ", fold=1)" : ")"
        case .array(let a):
            out += "array('\(PyArray.typecode)'"
            if !a.values.isEmpty {
                out += ", [" + a.values.map { String($0) }.joined(separator: ", ") + "]"
            }
            out += ")"
        case .exception(let e):
            out += e.typeName
            if e.args.count == 1 {
                out += "("
                try write(e.args[0], to: &out)
                out += ")"
            } else {
                try write(.tuple(e.args), to: &out)
            }
        }
    }

    private static func writeItems(_ items: [PyValue], to out: inout String) throws(PythonLiteralError) {
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            try write(item, to: &out)
        }
    }

    /// `repr(str)`: single quotes unless the text has a `'` and no `"`; escapes for `\`,
    /// the quote, `\t\n\r`, other controls, and non-printable characters.
    public static func repr(_ text: String) -> String {
        var out = ""
        writeString(text, to: &out)
        return out
    }

    static func writeString(_ text: String, to out: inout String) {
        let scalars = text.unicodeScalars
        let quote: Unicode.Scalar = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
        out.unicodeScalars.append(quote)
        for scalar in scalars {
            switch scalar {
            case quote, "\\":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0x7f {
                    out += "\\x" + hex(v, width: 2)
                } else if v < 0x7f || isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if v <= 0xff {
                    out += "\\x" + hex(v, width: 2)
                } else if v <= 0xffff {
                    out += "\\u" + hex(v, width: 4)
                } else {
                    out += "\\U" + hex(v, width: 8)
                }
            }
        }
        out.unicodeScalars.append(quote)
    }

    /// `repr(bytes)`: `b'...'` with the same quote rule as str, ASCII printable bytes as
    /// is, everything else as `\xhh`.
    public static func repr(_ bytes: [UInt8]) -> String {
        var out = ""
        writeBytes(bytes, to: &out)
        return out
    }

    static func writeBytes(_ bytes: [UInt8], to out: inout String) {
        let quote: UInt8 = bytes.contains(UInt8(ascii: "'")) && !bytes.contains(UInt8(ascii: "\"")) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        out += "b"
        out.unicodeScalars.append(Unicode.Scalar(quote))
        for byte in bytes {
            switch byte {
            case quote, UInt8(ascii: "\\"):
                out += "\\"
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "\t"): out += "\\t"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + hex(UInt32(byte), width: 2)
            }
        }
        out.unicodeScalars.append(Unicode.Scalar(quote))
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.utf8.count)) + digits
    }
}

extension PyValue: CustomStringConvertible {
    /// Python's repr; an int past CPython's 4300-digit limit shows as its bit length.
    public var description: String {
        if let text = try? PythonRepr.repr(self) { return text }
        if case .int(let i) = self { return i.shortDescription }
        return "<\(typeName)>"
    }
}
