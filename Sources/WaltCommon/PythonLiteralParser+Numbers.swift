// Numeric literals: decimal ints (no leading zeros, as in Python 3), 0x/0o/0b ints,
// floats with fraction and/or exponent, underscores between digits. Complex numbers
// (`1j`) are refused.

extension PythonLiteralParser {
    mutating func parseNumber() throws(PythonLiteralError) -> PyValue {
        let start = pos
        while let c = current {
            if Self.isIdentifierByte(c) || c == UInt8(ascii: ".") {
                pos += 1
            } else if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")), pos > start,
                      bytes[pos - 1] | 0x20 == UInt8(ascii: "e"), !isRadixPrefixed(start) {
                pos += 1
            } else {
                break
            }
        }
        let token = bytes[start..<pos]
        if isRadixPrefixed(start) {
            return .int(try parseRadixInt(token, offset: start))
        }
        if token.last.map({ $0 | 0x20 == UInt8(ascii: "j") }) == true {
            throw .unsupported("complex numbers are not part of the wire model", offset: start)
        }
        if token.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }) {
            return .float(try parseFloat(token, offset: start))
        }
        let digits = try stripUnderscores(token, offset: start)
        if digits.count > 1, digits.first == UInt8(ascii: "0"), digits.contains(where: { $0 != UInt8(ascii: "0") }) {
            throw .syntax("leading zeros in decimal integer literals are not permitted", offset: start)
        }
        guard digits.count <= PythonRepr.maxIntDigits else { throw .integerTooLong(digits: digits.count) }
        guard let value = PyInt(decimal: Substring(decoding: digits, as: UTF8.self)) else {
            throw .syntax("invalid decimal literal", offset: start)
        }
        return .int(value)
    }

    func isRadixPrefixed(_ start: Int) -> Bool {
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "0") else { return false }
        let marker = bytes[start + 1] | 0x20
        return marker == UInt8(ascii: "x") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "b")
    }

    /// Removes underscores, which must sit between two digits.
    func stripUnderscores(_ token: ArraySlice<UInt8>, offset: Int) throws(PythonLiteralError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var previous: UInt8?
        for (i, c) in zip(token.indices, token) {
            if c == UInt8(ascii: "_") {
                let next = i + 1 < token.endIndex ? token[i + 1] : nil
                guard let p = previous, Self.hexValue(p) != nil, let n = next, Self.hexValue(n) != nil else {
                    throw .syntax("invalid use of '_' in a number", offset: offset)
                }
            } else {
                out.append(c)
            }
            previous = c
        }
        return out
    }

    func parseRadixInt(_ token: ArraySlice<UInt8>, offset: Int) throws(PythonLiteralError) -> PyInt {
        let radix: UInt32
        switch token[token.startIndex + 1] | 0x20 {
        case UInt8(ascii: "x"): radix = 16
        case UInt8(ascii: "o"): radix = 8
        default: radix = 2
        }
        var body = token.dropFirst(2)
        if body.first == UInt8(ascii: "_") { body = body.dropFirst() }
        let digits = try stripUnderscores(body, offset: offset)
        guard !digits.isEmpty else { throw .syntax("invalid integer literal", offset: offset) }
        guard digits.count <= 4 * PythonRepr.maxIntDigits else { throw .integerTooLong(digits: digits.count) }
        var limbs: [UInt32] = []
        for c in digits {
            guard let digit = Self.hexValue(c), UInt32(digit) < radix else {
                throw .syntax("invalid digit in an integer literal", offset: offset)
            }
            PyInt.multiplyAdd(&limbs, radix, UInt32(digit))
        }
        return PyInt(negative: false, magnitude: limbs)
    }

    /// `digits [. digits] [e [+-] digits]` or `. digits ...`, checked before conversion so
    /// that only decimal forms reach the (correctly rounding) standard library parser.
    func parseFloat(_ token: ArraySlice<UInt8>, offset: Int) throws(PythonLiteralError) -> Double {
        let text = try stripUnderscores(token, offset: offset)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < text.count, Self.isDigit(text[i]) { i += 1 }
            return i - start
        }
        var mantissaDigits = digits()
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { throw .syntax("invalid float literal", offset: offset) }
        if i < text.count, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw .syntax("invalid float literal", offset: offset) }
        }
        guard i == text.count, let value = Double(String(decoding: text, as: UTF8.self)) else {
            throw .syntax("invalid float literal", offset: offset)
        }
        return value
    }
}
