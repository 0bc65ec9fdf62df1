/// Builds a Python dict with Python's key semantics: a key equal to an earlier one
/// (`1`, `1.0` and `True` are the same key) replaces its value in place, keeping the first
/// key, so decoded dicts never hold duplicate keys. Unhashable keys are refused.
struct PyDictBuilder: Sendable {
    private(set) var pairs: [(key: PyValue, value: PyValue)] = []
    private var index: [PyDictKey: Int] = [:]
    private var identityCounter = 0

    init() {}

    /// Adds or replaces; throws the Python type name of an unhashable key.
    mutating func set(_ key: PyValue, _ value: PyValue) throws(PyDictKey.Unhashable) {
        let hashKey = try PyDictKey(key, identity: &identityCounter)
        if let existing = index[hashKey] {
            pairs[existing].value = value
        } else {
            index[hashKey] = pairs.count
            pairs.append((key: key, value: value))
        }
    }

    var count: Int { pairs.count }
}

/// A dict key normalized to Python's equality: numbers compare by value, str by code points.
enum PyDictKey: Hashable, Sendable {
    case none
    case int(PyInt)
    case float(UInt64)
    case str(StrKey)
    case bytes([UInt8])
    case tuple([PyDictKey])
    case datetime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int)
    /// Objects that are only equal to themselves (exceptions, NaN): never deduplicated.
    case identity(Int)

    struct Unhashable: Error {
        let typeName: String
    }

    struct StrKey: Hashable, Sendable {
        let text: String
        static func == (a: StrKey, b: StrKey) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into hasher: inout Hasher) {
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

    init(_ value: PyValue, identity: inout Int) throws(Unhashable) {
        switch value {
        case .none: self = .none
        case .bool(let b): self = .int(PyInt(b ? 1 : 0))
        case .int(let i): self = .int(i)
        case .float(let f):
            if let i = PyInt(exactly: f) {
                self = .int(i)
            } else if f.isNaN {
                identity += 1
                self = .identity(identity)
            } else {
                self = .float(f.bitPattern)
            }
        case .str(let s): self = .str(StrKey(text: s))
        case .bytes(let b): self = .bytes(b)
        case .tuple(let items):
            var keys: [PyDictKey] = []
            keys.reserveCapacity(items.count)
            for item in items { keys.append(try PyDictKey(item, identity: &identity)) }
            self = .tuple(keys)
        case .datetime(let d):
            self = .datetime(year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute,
                             second: d.second, microsecond: d.microsecond)
        case .exception:
            identity += 1
            self = .identity(identity)
        case .list, .dict, .array:
            throw Unhashable(typeName: value.typeName)
        }
    }
}
