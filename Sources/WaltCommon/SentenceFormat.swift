/// Upstream's `format_sentence` (walt.common.formatting): `word(plural)` patterns
/// conjugated, the items named ("Node a", "Nodes a, b and c", "7 nodes"), the sentence
/// passed through Python's `str.capitalize()` before the names go in. Shared: the client
/// words ownership errors with it, the daemon its settings errors.
public enum SentenceFormat {
    public static let maxPrintedItems = 5

    public static func format(_ sentence: String, items: [String], none: String, singular: String, plural: String) -> String {
        let conjugated = conjugate(sentence, plural: items.count != 1)
        let sorted = items.sorted()
        let designation: String
        var names: [String] = []
        if items.count > maxPrintedItems {
            designation = "\(items.count) \(plural)"
        } else if items.isEmpty {
            designation = none
        } else if items.count > 1 {
            designation = plural + " %s and %s"
            names = [sorted.dropLast().joined(separator: ", "), sorted[sorted.count - 1]]
        } else {
            designation = singular + " %s"
            names = [sorted[0]]
        }
        return substitute(capitalize(substitute(conjugated, [designation])), names)
    }

    /// `word(alt)` → `word` (one item) or `alt` (several).
    public static func conjugate(_ sentence: String, plural: Bool) -> String {
        var out: [Character] = []
        var chars = Substring(sentence)
        while let char = chars.first {
            chars = chars.dropFirst()
            // Upstream's `\b(\w*)\(([^)]*)\)`: only a parenthesis right after a word
            // conjugates; "failed soft-reboot (timeout)" keeps its parentheses.
            let afterWord = out.last.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
            guard char == "(", afterWord, let close = chars.firstIndex(of: ")") else {
                out.append(char)
                continue
            }
            let alternative = chars[..<close]
            chars = chars[chars.index(after: close)...]
            if plural {
                while let last = out.last, last.isLetter || last.isNumber || last == "_" { out.removeLast() }
                out += alternative
            }
        }
        return String(out)
    }

    /// Python's `str.capitalize()`: first character upper case, the rest lower case.
    public static func capitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }

    /// Each `%s` replaced by the next value, as Python's `%` with a tuple.
    public static func substitute(_ template: String, _ values: [String]) -> String {
        var out = ""
        var rest = Substring(template)
        var values = values[...]
        while let range = rest.firstRange(of: "%s"), let value = values.first {
            out += rest[..<range.lowerBound] + value
            values = values.dropFirst()
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
