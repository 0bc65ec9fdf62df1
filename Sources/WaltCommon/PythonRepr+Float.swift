// Python's float repr: the shortest digit string that round-trips (Swift's `description`
// finds the same digits), laid out by CPython's rule for format code 'r': positional when
// the decimal exponent is in -4 ..< 16, else `d.ddde+XX` with at least two exponent digits.

extension PythonRepr {
    /// `repr(float)`: `0.1`, `1e+16`, `1e-05`, `100.0`, `-0.0`, `inf`, `nan`.
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let (digits, decimalPoint) = shortestDigits(value)
        let sign = value.sign == .minus ? "-" : ""
        let n = digits.count
        if decimalPoint <= -4 || decimalPoint > 16 {
            var text = sign + String(digits[0])
            if n > 1 { text += "." + String(digits[1...]) }
            let exponent = decimalPoint - 1
            let magnitude = String(abs(exponent))
            text += (exponent < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" : "") + magnitude
            return text
        }
        if decimalPoint <= 0 {
            return sign + "0." + String(repeating: "0", count: -decimalPoint) + String(digits)
        }
        if decimalPoint >= n {
            return sign + String(digits) + String(repeating: "0", count: decimalPoint - n) + ".0"
        }
        return sign + String(digits[..<decimalPoint]) + "." + String(digits[decimalPoint...])
    }

    /// Shortest round-trip digits (no leading or trailing zeros, "0" for zero) and the
    /// position of the decimal point: value = 0.d1d2... * 10^decimalPoint.
    static func shortestDigits(_ value: Double) -> (digits: [Character], decimalPoint: Int) {
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [Character] = []
        var decimalPoint = 0
        var seenPoint = false
        for ch in mantissa {
            if ch == "." {
                seenPoint = true
                continue
            }
            digits.append(ch)
            if !seenPoint { decimalPoint += 1 }
        }
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            decimalPoint -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        if digits.isEmpty { return (["0"], 1) }
        return (digits, decimalPoint + exponent)
    }
}
