// Bare names: None, True, False, inf, nan, string prefixes, and the constructor reprs of
// the allowed objects. A name is only ever matched against this fixed list; nothing is
// looked up or called.

extension PythonLiteralParser {
    mutating func parseName() throws(PythonLiteralError) -> PyValue {
        if stringPrefix(at: pos) != nil { return try parseStrings() }
        let start = pos
        while let c = current, Self.isIdentifierByte(c) || c == UInt8(ascii: ".") { pos += 1 }
        let name = String(decoding: bytes[start..<pos], as: UTF8.self)
        switch name {
        case "None": return .none
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "inf": return .float(.infinity)
        case "nan": return .float(.nan)
        default: break
        }
        skipSpace()
        guard current == UInt8(ascii: "(") else {
            throw .unsupported("name '\(name)' is not a literal", offset: start)
        }
        let (args, keywords) = try nestedCall()
        do {
            switch name {
            case "datetime.datetime", "datetime":
                return .datetime(try makeDateTime(args, keywords))
            case "array", "array.array":
                guard keywords.isEmpty else { throw PyValueError.invalidArray("unexpected keyword argument") }
                return .array(try makeArray(args))
            default:
                guard PyException.builtinNames.contains(name) else {
                    throw PythonLiteralError.unsupported("'\(name)(...)' is not an allowed constructor", offset: start)
                }
                guard keywords.isEmpty else { throw PyValueError.typeMismatch(expected: "positional arguments", found: "keywords") }
                return .exception(try PyException(name, args: args))
            }
        } catch let error as PythonLiteralError {
            throw error
        } catch {
            throw .invalidValue("\(error)", offset: start)
        }
    }

    /// `(arg, ..., key=value, ...)` after a constructor name.
    mutating func nestedCall() throws(PythonLiteralError) -> ([PyValue], [(String, PyValue)]) {
        depth += 1
        guard depth <= maxDepth else { throw .nestingTooDeep(limit: maxDepth) }
        defer { depth -= 1 }
        try expect(UInt8(ascii: "("))
        var args: [PyValue] = []
        var keywords: [(String, PyValue)] = []
        skipSpace()
        while current != UInt8(ascii: ")") {
            let start = pos
            while let c = current, Self.isIdentifierByte(c) { pos += 1 }
            let nameEnd = pos
            skipSpace()
            if nameEnd > start, !Self.isDigit(bytes[start]), current == UInt8(ascii: "="), peek(1) != UInt8(ascii: "=") {
                let keyword = String(decoding: bytes[start..<nameEnd], as: UTF8.self)
                pos += 1
                skipSpace()
                keywords.append((keyword, try parseValue()))
            } else {
                pos = start
                guard keywords.isEmpty else { throw syntax("positional argument follows keyword argument") }
                args.append(try parseValue())
            }
            skipSpace()
            if current == UInt8(ascii: ",") {
                pos += 1
                skipSpace()
            } else if current != UInt8(ascii: ")") {
                throw syntax("expected ',' or ')'")
            }
        }
        pos += 1
        return (args, keywords)
    }

    func makeDateTime(_ args: [PyValue], _ keywords: [(String, PyValue)]) throws -> PyDateTime {
        var fields: [Int] = []
        for arg in args { fields.append(try arg.exactly(Int.self)) }
        var fold = 0
        for (key, value) in keywords {
            guard key == "fold" else { throw PyValueError.invalidDateTime("unexpected keyword '\(key)'") }
            fold = try value.exactly(Int.self)
        }
        guard (3...7).contains(fields.count) else { throw PyValueError.invalidDateTime("expected 3 to 7 int arguments") }
        fields += Array(repeating: 0, count: 7 - fields.count)
        return try PyDateTime(year: fields[0], month: fields[1], day: fields[2], hour: fields[3], minute: fields[4],
                              second: fields[5], microsecond: fields[6], fold: fold)
    }

    func makeArray(_ args: [PyValue]) throws -> PyArray {
        guard (1...2).contains(args.count), case .str(let typecode) = args[0] else {
            throw PyValueError.invalidArray("expected (typecode[, list])")
        }
        guard typecode == "h" else { throw PyValueError.invalidArray("typecode '\(typecode)' is not supported, only 'h'") }
        guard args.count == 2 else { return PyArray([]) }
        guard let items = args[1].sequenceItems else { throw PyValueError.invalidArray("initializer must be a list") }
        var values: [Int16] = []
        for item in items { values.append(try item.exactly(Int16.self)) }
        return PyArray(values)
    }
}
