// Swift literal syntax for building wire values:
// `let call: PyValue = ["API_CALL", "show_nodes", .tuple(["alice", false, false]), [:]]`
// Array literals make lists; use `.tuple([...])` for tuples. Dictionary literals make dicts
// in the order written.

extension PyValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .none }
}

extension PyValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PyValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(PyInt(value)) }
}

extension PyValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .float(value) }
}

extension PyValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .str(value) }
}

extension PyValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: PyValue...) { self = .list(elements) }
}

extension PyValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (PyValue, PyValue)...) {
        self = .dict(elements.map { (key: $0.0, value: $0.1) })
    }
}

extension PyValue {
    /// An int value from any Swift integer.
    public static func integer(_ value: some BinaryInteger) -> PyValue {
        if let small = Int(exactly: value) { return .int(PyInt(small)) }
        return .int(PyInt(decimal: Substring(String(value)), maxDigits: .max) ?? PyInt(0))
    }

    /// A dict with string keys, in the order given.
    public static func strDict(_ pairs: KeyValuePairs<String, PyValue>) -> PyValue {
        .dict(pairs.map { (key: .str($0.key), value: $0.value) })
    }

    /// A tuple of strings, the shape of most WalT name lists.
    public static func strTuple(_ items: [String]) -> PyValue {
        .tuple(items.map { .str($0) })
    }
}
