// Typed views of a PyValue for code that consumes wire messages. Optional accessors
// answer nil on a type mismatch; the throwing ones say what was expected.

extension PyValue {
    public var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    public var intValue: PyInt? {
        if case .int(let v) = self { return v }
        return nil
    }

    public var floatValue: Double? {
        if case .float(let v) = self { return v }
        return nil
    }

    public var stringValue: String? {
        if case .str(let v) = self { return v }
        return nil
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let v) = self { return v }
        return nil
    }

    /// Items of a tuple or a list.
    public var sequenceItems: [PyValue]? {
        switch self {
        case .tuple(let items), .list(let items): return items
        default: return nil
        }
    }

    public var dictPairs: [(key: PyValue, value: PyValue)]? {
        if case .dict(let pairs) = self { return pairs }
        return nil
    }

    /// The value stored under a str key of a dict (nil if absent or not a dict).
    public subscript(key: String) -> PyValue? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { $0.key == .str(key) }?.value
    }

    /// The int as a fixed-width integer; throws when it is not an int or does not fit.
    public func exactly<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(PyValueError) -> T {
        guard case .int(let v) = self else { throw PyValueError.typeMismatch(expected: "int", found: typeName) }
        return try v.exactly(T.self)
    }

    /// The str; throws when the value is something else.
    public func string() throws(PyValueError) -> String {
        guard case .str(let v) = self else { throw PyValueError.typeMismatch(expected: "str", found: typeName) }
        return v
    }
}

/// Why a wire value could not be used as asked.
public enum PyValueError: Error, Equatable, Sendable, CustomStringConvertible {
    case typeMismatch(expected: String, found: String)
    case integerOutOfRange(value: String, type: String)
    case invalidDateTime(String)
    case invalidArray(String)

    public var description: String {
        switch self {
        case .typeMismatch(let expected, let found): return "expected a Python \(expected), got \(found)"
        case .integerOutOfRange(let value, let type): return "integer \(value) does not fit in \(type)"
        case .invalidDateTime(let why): return "invalid datetime: \(why)"
        case .invalidArray(let why): return "invalid array: \(why)"
        }
    }
}
