import WaltCommon

/// Python's `json.loads`, for the web API's query values: upstream turns a filter value such
/// as `true` or `1700000000.5` into a Python object with it before casting. Builds Python
/// values (so errors can quote `str(value)` as upstream does) and accepts what Python
/// accepts: surrounding whitespace, `NaN`, `Infinity`, `-Infinity`, integers of any size up to
/// CPython's 4300 digits, lone surrogate escapes (replaced, as Swift strings cannot hold
/// them); control characters inside strings and trailing data are refused.
struct JSONReader {
    struct Invalid: Error {}

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static func parse(_ text: String) throws(Invalid) -> PyValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        reader.skipWhitespace()
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw Invalid() }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func take(_ word: String) -> Bool {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
        index += utf8.count
        return true
    }

    private mutating func value() throws(Invalid) -> PyValue {
        guard let byte = current else { throw Invalid() }
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .str(try string())
        case UInt8(ascii: "n") where take("null"): return .none
        case UInt8(ascii: "t") where take("true"): return .bool(true)
        case UInt8(ascii: "f") where take("false"): return .bool(false)
        case UInt8(ascii: "N") where take("NaN"): return .float(.nan)
        case UInt8(ascii: "I") where take("Infinity"): return .float(.infinity)
        case UInt8(ascii: "-") where take("-Infinity"): return .float(-.infinity)
        default: return try number()
        }
    }

    private mutating func nested<T>(_ body: (inout JSONReader) throws(Invalid) -> T) throws(Invalid) -> T {
        depth += 1
        guard depth <= 500 else { throw Invalid() }
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func object() throws(Invalid) -> PyValue {
        try nested { reader throws(Invalid) in
            reader.index += 1
            var pairs: [(key: PyValue, value: PyValue)] = []
            reader.skipWhitespace()
            if reader.current == UInt8(ascii: "}") {
                reader.index += 1
                return .dict(pairs)
            }
            while true {
                reader.skipWhitespace()
                guard reader.current == UInt8(ascii: "\"") else { throw Invalid() }
                let key = PyValue.str(try reader.string())
                reader.skipWhitespace()
                guard reader.current == UInt8(ascii: ":") else { throw Invalid() }
                reader.index += 1
                reader.skipWhitespace()
                let value = try reader.value()
                // A repeated key keeps its first place and takes the last value, as a dict does.
                if let existing = pairs.firstIndex(where: { $0.key == key }) {
                    pairs[existing].value = value
                } else {
                    pairs.append((key, value))
                }
                reader.skipWhitespace()
                switch reader.current {
                case UInt8(ascii: ","): reader.index += 1
                case UInt8(ascii: "}"):
                    reader.index += 1
                    return .dict(pairs)
                default: throw Invalid()
                }
            }
        }
    }

    private mutating func array() throws(Invalid) -> PyValue {
        try nested { reader throws(Invalid) in
            reader.index += 1
            var items: [PyValue] = []
            reader.skipWhitespace()
            if reader.current == UInt8(ascii: "]") {
                reader.index += 1
                return .list(items)
            }
            while true {
                reader.skipWhitespace()
                items.append(try reader.value())
                reader.skipWhitespace()
                switch reader.current {
                case UInt8(ascii: ","): reader.index += 1
                case UInt8(ascii: "]"):
                    reader.index += 1
                    return .list(items)
                default: throw Invalid()
                }
            }
        }
    }

    private mutating func string() throws(Invalid) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var pendingHigh: UInt32?
        func flushHigh() {
            if pendingHigh != nil { scalars.append("\u{FFFD}") }
            pendingHigh = nil
        }
        var chunkStart = index
        func appendChunk(_ end: Int) {
            if chunkStart < end { scalars.append(contentsOf: String(decoding: bytes[chunkStart..<end], as: UTF8.self).unicodeScalars) }
        }
        while true {
            guard let byte = current else { throw Invalid() }
            if byte == UInt8(ascii: "\"") {
                appendChunk(index)
                flushHigh()
                index += 1
                return String(scalars)
            }
            guard byte >= 0x20 else { throw Invalid() }
            if byte != UInt8(ascii: "\\") {
                if pendingHigh != nil {
                    flushHigh()
                    chunkStart = index
                }
                index += 1
                continue
            }
            appendChunk(index)
            index += 1
            guard let escape = current else { throw Invalid() }
            index += 1
            let simple: Unicode.Scalar? = switch escape {
            case UInt8(ascii: "\""): "\""
            case UInt8(ascii: "\\"): "\\"
            case UInt8(ascii: "/"): "/"
            case UInt8(ascii: "b"): "\u{08}"
            case UInt8(ascii: "f"): "\u{0C}"
            case UInt8(ascii: "n"): "\n"
            case UInt8(ascii: "r"): "\r"
            case UInt8(ascii: "t"): "\t"
            default: nil
            }
            if let simple {
                flushHigh()
                scalars.append(simple)
            } else if escape == UInt8(ascii: "u") {
                let unit = try hex4()
                if (0xD800...0xDBFF).contains(unit) {
                    flushHigh()
                    pendingHigh = unit
                } else if (0xDC00...0xDFFF).contains(unit), let high = pendingHigh {
                    pendingHigh = nil
                    scalars.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00))!)
                } else {
                    flushHigh()
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                }
            } else {
                throw Invalid()
            }
            chunkStart = index
        }
    }

    private mutating func hex4() throws(Invalid) -> UInt32 {
        guard bytes.count - index >= 4 else { throw Invalid() }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Self.hexDigit(byte) else { throw Invalid() }
            value = value * 16 + digit
        }
        index += 4
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: an int without fraction or exponent.
    private mutating func number() throws(Invalid) -> PyValue {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let from = reader.index
            while let byte = reader.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.index += 1 }
            return reader.index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { throw Invalid() }
        if first == UInt8(ascii: "0") { index += 1 } else { _ = digits(&self) }
        var isInteger = true
        if current == UInt8(ascii: "."), index + 1 < bytes.count,
           bytes[index + 1] >= UInt8(ascii: "0"), bytes[index + 1] <= UInt8(ascii: "9") {
            index += 1
            _ = digits(&self)
            isInteger = false
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            let mark = index
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            if digits(&self) == 0 {
                // Not an exponent: Python stops the number before the `e` (then fails on it).
                index = mark
            } else {
                isInteger = false
            }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger {
            guard let integer = PyInt(decimal: Substring(text)) else { throw Invalid() }
            return .int(integer)
        }
        guard let number = Double(text) else { throw Invalid() }
        return .float(number)
    }
}
