/// The few Python behaviours that show up in plumbum's error messages: `repr()` of strings
/// and lists of strings, and `int()` of a string.
///
/// WalT's usage errors are Python f-strings over these values, so reproducing them is what
/// makes our messages byte-identical (`got ['a', 'b']`, `not 'x'`).
enum PythonText {
    /// Python's `repr(str)`: single quotes unless the text holds a single quote and no double
    /// quote; backslash escapes for the quote, backslash and non-printable characters.
    static func repr(_ text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\": out += "\\" + String(scalar)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += escape(scalar)
                }
            }
        }
        out.unicodeScalars.append(quote)
        return out
    }

    /// Python's `repr(list_of_str)`: `['a', 'b']`.
    static func repr(_ list: [String]) -> String {
        "[" + list.map(repr).joined(separator: ", ") + "]"
    }

    /// Python's `repr(tuple_of_str)`: `('a', 'b')`, or `('a',)` for one item.
    static func tupleRepr(_ items: [String]) -> String {
        items.count == 1 ? "(" + repr(items[0]) + ",)" : "(" + items.map(repr).joined(separator: ", ") + ")"
    }

    /// `repr(ValueError(message))`.
    static func valueError(_ message: String) -> String {
        "ValueError(" + repr(message) + ")"
    }

    /// Python's `int(text)` in base 10: surrounding white space, one sign, decimal digits
    /// with single underscores between them. Nil where Python raises `ValueError`, and
    /// also for values beyond 64 bits (which Python would accept).
    static func int(_ text: String) -> Int? {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        var value = 0
        var digits = 0
        var previousWasUnderscore = false
        for scalar in scalars {
            if scalar == "_" {
                if digits == 0 || previousWasUnderscore { return nil }
                previousWasUnderscore = true
                continue
            }
            guard scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue else {
                return nil
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
            digits += 1
            previousWasUnderscore = false
        }
        if digits == 0 || previousWasUnderscore { return nil }
        return negative ? -value : value
    }

    /// Python's `str.isprintable()` for one character: everything except controls, format
    /// characters, separators other than the plain space, surrogates and unassigned points.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7f }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
            .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// `\xNN`, `\uNNNN` or `\UNNNNNNNN`, as Python picks by size.
    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let (prefix, width) =
            scalar.value < 0x100 ? ("\\x", 2) : scalar.value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
        let hex = String(scalar.value, radix: 16)
        return prefix + String(repeating: "0", count: width - hex.count) + hex
    }
}
