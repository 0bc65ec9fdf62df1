/// Reads a Python literal (what `repr()` prints) into a `PyValue` without evaluating
/// anything: the safe replacement for upstream's `eval()` of `line-repr-eval` messages.
///
/// Accepts None/True/False, ints (decimal, 0x/0o/0b, underscores, any size up to CPython's
/// 4300 digits), floats (incl. `inf`, `nan` as repr prints them), str and bytes literals
/// with every escape but `\N{...}` (and adjacent-literal concatenation), tuples, lists,
/// dicts, and the reprs of the allowed objects: `datetime.datetime(...)`,
/// `array('h', [...])` and builtin exceptions such as `ValueError('x')`.
public struct PythonLiteralParser {
    let bytes: [UInt8]
    var pos = 0
    let maxDepth: Int
    var depth = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    /// Parses one literal; only whitespace may surround it.
    public static func parse(_ text: String, maxDepth: Int = 100) throws(PythonLiteralError) -> PyValue {
        var parser = PythonLiteralParser(bytes: Array(text.utf8), maxDepth: maxDepth)
        return try parser.parseWhole()
    }

    /// Parses one literal from UTF-8 bytes (a received line, without its newline).
    public static func parse(utf8 bytes: some Collection<UInt8>, maxDepth: Int = 100,
                             maxLength: Int = 64 << 20) throws(PythonLiteralError) -> PyValue {
        guard bytes.count <= maxLength else { throw .tooLong(limit: maxLength) }
        let array = Array(bytes)
        guard String(validating: array, as: UTF8.self) != nil else {
            throw .syntax("input is not valid UTF-8", offset: 0)
        }
        var parser = PythonLiteralParser(bytes: array, maxDepth: maxDepth)
        return try parser.parseWhole()
    }

    mutating func parseWhole() throws(PythonLiteralError) -> PyValue {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        guard pos == bytes.count else { throw syntax("unexpected text after the literal") }
        return value
    }

    // MARK: lexing helpers

    var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func peek(_ offset: Int) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0c {
            pos += 1
        }
    }

    mutating func expect(_ c: UInt8) throws(PythonLiteralError) {
        guard current == c else { throw syntax("expected '\(Character(Unicode.Scalar(c)))'") }
        pos += 1
    }

    func syntax(_ why: String) -> PythonLiteralError { .syntax(why, offset: pos) }

    static func isIdentifierByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    // MARK: values

    mutating func parseValue() throws(PythonLiteralError) -> PyValue {
        guard let c = current else { throw syntax("unexpected end of input") }
        switch c {
        case UInt8(ascii: "("): return try nested { (p: inout PythonLiteralParser) throws(PythonLiteralError) in try p.parseParenthesized() }
        case UInt8(ascii: "["): return try nested { (p: inout PythonLiteralParser) throws(PythonLiteralError) in try p.parseList() }
        case UInt8(ascii: "{"): return try nested { (p: inout PythonLiteralParser) throws(PythonLiteralError) in try p.parseDict() }
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return try parseStrings()
        case UInt8(ascii: "-"), UInt8(ascii: "+"): return try parseSigned()
        case UInt8(ascii: "."): return try parseNumber()
        default:
            if Self.isDigit(c) { return try parseNumber() }
            if Self.isIdentifierByte(c) { return try parseName() }
            throw syntax("unexpected character")
        }
    }

    mutating func nested(_ body: (inout PythonLiteralParser) throws(PythonLiteralError) -> PyValue) throws(PythonLiteralError) -> PyValue {
        depth += 1
        guard depth <= maxDepth else { throw .nestingTooDeep(limit: maxDepth) }
        let value = try body(&self)
        depth -= 1
        return value
    }

    /// `()`, `(x)`, `(x,)`, `(x, y)`.
    mutating func parseParenthesized() throws(PythonLiteralError) -> PyValue {
        try expect(UInt8(ascii: "("))
        skipSpace()
        if current == UInt8(ascii: ")") {
            pos += 1
            return .tuple([])
        }
        let first = try parseValue()
        skipSpace()
        if current == UInt8(ascii: ")") {
            pos += 1
            return first
        }
        var items = [first]
        try parseRest(of: &items, closing: UInt8(ascii: ")"))
        return .tuple(items)
    }

    mutating func parseList() throws(PythonLiteralError) -> PyValue {
        try expect(UInt8(ascii: "["))
        skipSpace()
        var items: [PyValue] = []
        if current == UInt8(ascii: "]") {
            pos += 1
            return .list(items)
        }
        items.append(try parseValue())
        skipSpace()
        try parseRest(of: &items, closing: UInt8(ascii: "]"))
        return .list(items)
    }

    /// After the first item: `, item`... with an optional trailing comma, then `closing`.
    mutating func parseRest(of items: inout [PyValue], closing: UInt8) throws(PythonLiteralError) {
        while true {
            skipSpace()
            if current == closing {
                pos += 1
                return
            }
            try expect(UInt8(ascii: ","))
            skipSpace()
            if current == closing {
                pos += 1
                return
            }
            items.append(try parseValue())
        }
    }

    mutating func parseDict() throws(PythonLiteralError) -> PyValue {
        try expect(UInt8(ascii: "{"))
        var builder = PyDictBuilder()
        skipSpace()
        while current != UInt8(ascii: "}") {
            let keyOffset = pos
            let key = try parseValue()
            skipSpace()
            guard current == UInt8(ascii: ":") else {
                throw .unsupported("set literals are not part of the wire model", offset: pos)
            }
            pos += 1
            skipSpace()
            let value = try parseValue()
            do {
                try builder.set(key, value)
            } catch {
                throw .invalidValue("unhashable type: '\(error.typeName)' as a dict key", offset: keyOffset)
            }
            skipSpace()
            if current == UInt8(ascii: ",") {
                pos += 1
                skipSpace()
            } else if current != UInt8(ascii: "}") {
                throw syntax("expected ',' or '}'")
            }
        }
        pos += 1
        return .dict(builder.pairs)
    }

    /// A unary sign applies to a number (`-5`, `-1.5`, `-inf`, `--1`).
    mutating func parseSigned() throws(PythonLiteralError) -> PyValue {
        let negative = current == UInt8(ascii: "-")
        pos += 1
        skipSpace()
        let operand = try nested { (p: inout PythonLiteralParser) throws(PythonLiteralError) in try p.parseValue() }
        switch operand {
        case .int(let i):
            guard negative else { return operand }
            let (isNegative, magnitude) = i.signAndMagnitude
            return .int(PyInt(negative: !isNegative && !magnitude.isEmpty, magnitude: magnitude))
        case .float(let f):
            return .float(negative ? -f : f)
        default:
            throw .unsupported("unary sign on a \(operand.typeName)", offset: pos)
        }
    }
}
