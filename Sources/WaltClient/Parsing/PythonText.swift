import WaltCommon

/// The few Python behaviours that show up in plumbum's error messages: `repr()` of strings
/// and lists of strings, and `int()` of a string.
///
/// WalT's usage errors are Python f-strings over these values, so reproducing them is what
/// makes our messages byte-identical (`got ['a', 'b']`, `not 'x'`).
enum PythonText {
    /// Python's `repr(str)` (CPython's quoting and escapes, its Unicode table).
    static func repr(_ text: String) -> String {
        PythonRepr.repr(text)
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
}
