/// Python's `float(str)` grammar, for query values that `json.loads` made strings
/// (`from="1.5e9"`): surrounding whitespace, a sign, `inf`/`infinity`/`nan` in any case, or
/// digits with single underscores between them, an optional fraction and exponent. Swift's
/// own parser accepts more (hexadecimal), so the text is checked here first.
enum PythonFloatText {
    static func parse(_ text: String) -> Double? {
        let trimmed = text.unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }
        let scalars = Array(trimmed.reversed())
        var body = scalars[...]
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        let word = String(String.UnicodeScalarView(body)).lowercased()
        if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        var cleaned = negative ? "-" : ""
        var index = body.startIndex
        func digitPart() -> Int {
            var count = 0
            while index < body.endIndex {
                let scalar = body[index]
                if ("0"..."9").contains(scalar) {
                    cleaned.unicodeScalars.append(scalar)
                    count += 1
                    index += 1
                } else if scalar == "_", count > 0, index + 1 < body.endIndex, ("0"..."9").contains(body[index + 1]) {
                    index += 1
                } else {
                    break
                }
            }
            return count
        }
        let integerDigits = digitPart()
        var fractionDigits = 0
        if index < body.endIndex, body[index] == "." {
            cleaned += "."
            index += 1
            fractionDigits = digitPart()
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if index < body.endIndex, body[index] == "e" || body[index] == "E" {
            cleaned += "e"
            index += 1
            if index < body.endIndex, body[index] == "+" || body[index] == "-" {
                cleaned.unicodeScalars.append(body[index])
                index += 1
            }
            guard digitPart() > 0 else { return nil }
        }
        guard index == body.endIndex else { return nil }
        return Double(cleaned)
    }
}
