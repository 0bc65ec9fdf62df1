/// How PyYAML's `yaml.dump` writes a string scalar: plain when YAML would read it back as
/// the same string, single-quoted when it would read as something else (a number, a
/// bool, null) or starts with an indicator, double-quoted with escapes when it holds
/// characters outside printable ASCII (PyYAML's default `allow_unicode=False`).
public enum YAMLScalarStyle {
    public static func render(_ text: String) -> String {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value > 0x7E }) {
            return doubleQuoted(text)
        }
        if needsQuotes(text) {
            return "'" + text.replacingAll("'", with: "''") + "'"
        }
        return text
    }

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " || last == ":" { return true }
        if "#,[]{}&*!|>'\"%@`".contains(first) { return true }
        let second = text.dropFirst().first
        if "-?:".contains(first), second == nil || second == " " { return true }
        if text.contains(": ") || text.contains(" #") { return true }
        return resolvesToNonString(text)
    }

    /// PyYAML's implicit resolvers (YAML 1.1): null, bool, int, float, merge, value, and
    /// dates.
    static func resolvesToNonString(_ text: String) -> Bool {
        let words: Set<String> = [
            "~", "null", "Null", "NULL", "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
            "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "<<", "=",
            ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
        ]
        if words.contains(text) { return true }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let first = body.first else { return false }
        if first == "." { return body.dropFirst().first?.isASCIIDigit ?? false }
        guard first.isASCIIDigit else { return false }
        if body.hasPrefix("0b") { return body.dropFirst(2).allSatisfy { $0 == "0" || $0 == "1" || $0 == "_" } }
        if body.hasPrefix("0x") { return body.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" } }
        // Decimal, octal, sexagesimal ints and floats, and dates: digits with `_ : . - e E + T`.
        if body.allSatisfy({ $0.isASCIIDigit || "_:.".contains($0) }) { return isNumber(body) }
        if body.contains("."), let exponent = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = body[..<exponent], rest = body[body.index(after: exponent)...]
            return mantissa.allSatisfy { $0.isASCIIDigit || "_.".contains($0) }
                && (rest.first == "+" || rest.first == "-") && rest.dropFirst().allSatisfy(\.isASCIIDigit)
        }
        let date = Array(body.prefix(10))
        return date.count >= 8 && date[0...3].allSatisfy(\.isASCIIDigit) && date[4] == "-"
    }

    /// `body` (digits, `_`, `:` and `.` only) as an int or float: at most one dot, and
    /// sexagesimal groups `:[0-5]?[0-9]` before it.
    private static func isNumber(_ body: Substring) -> Bool {
        let halves = body.split(separator: ".", omittingEmptySubsequences: false)
        guard halves.count <= 2, let whole = halves.first, !whole.isEmpty else { return false }
        if halves.count == 2, halves[1].contains(":") { return false }
        let groups = whole.split(separator: ":", omittingEmptySubsequences: false)
        return groups.dropFirst().allSatisfy { group in
            (1...2).contains(group.count) && group.allSatisfy(\.isASCIIDigit) && (group.count == 1 || group.first.map { $0 <= "5" } == true)
        }
    }

    private static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case _ where scalar.value >= 0x20 && scalar.value <= 0x7E: out.unicodeScalars.append(scalar)
            case _ where scalar.value <= 0xFF: out += "\\x" + hex(scalar.value, width: 2)
            case _ where scalar.value <= 0xFFFF: out += "\\u" + hex(scalar.value, width: 4)
            default: out += "\\U" + hex(scalar.value, width: 8)
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for char in self { if char == target { out += replacement } else { out.append(char) } }
        return out
    }
}
