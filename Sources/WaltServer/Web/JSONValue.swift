import WaltCommon

/// A JSON document as the web API returns it. Objects keep their keys in insertion order,
/// because upstream's responses are Python dicts serialised by `json.dumps`, which keeps it.
/// Numbers hold their final text, so integers of any size and floats in Python's repr come
/// out exactly as upstream writes them.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text as `json.dumps` writes it (`12`, `1.5`, `1e+16`, `NaN`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// `json.dumps(float)`: Python's repr, and its `NaN` / `Infinity` / `-Infinity` extensions.
    static func float(_ value: Double) -> JSONValue {
        if value.isNaN { return .number("NaN") }
        if value.isInfinite { return .number(value < 0 ? "-Infinity" : "Infinity") }
        return .number(PythonRepr.repr(value))
    }

    /// A Python value as `json.dumps` would write it: tuples become lists, dict keys must be
    /// strings (others are dropped: WalT never sends them to the web API).
    init(python value: PyValue) {
        switch value {
        case .none: self = .null
        case .bool(let flag): self = .bool(flag)
        case .int(let number): self = .number(number.description)
        case .float(let number): self = .float(number)
        case .str(let text): self = .string(text)
        case .tuple(let items), .list(let items): self = .array(items.map(JSONValue.init(python:)))
        case .dict(let pairs):
            self = .object(pairs.compactMap { pair in pair.key.stringValue.map { ($0, JSONValue(python: pair.value)) } })
        default: self = .string(value.description)
        }
    }

    /// The value of `key` in an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}
