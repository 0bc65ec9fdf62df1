/// A value that crosses WalT's wire: what Python's pickle and repr carry between the client,
/// the server and the nodes.
///
/// Only the Python types WalT really exchanges are modelled; decoders build nothing else,
/// so a peer can never make us instantiate an arbitrary Python class.
/// Equality is structural, not Python's `==`: `1 != 1.0`, `True != 1`, NaN equals NaN,
/// `-0.0 != 0.0`, strings compare by code points (no Unicode normalization), dicts compare
/// in order. That is what a codec round-trip must preserve.
public enum PyValue: Sendable {
    case none
    case bool(Bool)
    case int(PyInt)
    case float(Double)
    case str(String)
    case bytes([UInt8])
    case tuple([PyValue])
    case list([PyValue])
    /// A Python dict: pairs in insertion order, keys unique (decoders enforce it).
    case dict([(key: PyValue, value: PyValue)])
    /// A naive `datetime.datetime`.
    case datetime(PyDateTime)
    /// An `array.array('h', ...)`.
    case array(PyArray)
    /// An instance of a Python builtin exception class.
    indirect case exception(PyException)
}

extension PyValue: Equatable {
    public static func == (lhs: PyValue, rhs: PyValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case (.str(let a), .str(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.tuple(let a), .tuple(let b)): return a == b
        case (.list(let a), .list(let b)): return a == b
        case (.dict(let a), .dict(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.datetime(let a), .datetime(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.exception(let a), .exception(let b)): return a == b
        default: return false
        }
    }
}

extension PyValue {
    /// Python's type name, for error messages (`'str'`, `'datetime.datetime'`, ...).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .datetime: return "datetime.datetime"
        case .array: return "array.array"
        case .exception(let e): return e.typeName
        }
    }

    /// Number of values in this tree, counting this one (containers count their items).
    public var nodeCount: Int {
        switch self {
        case .tuple(let items), .list(let items):
            return items.reduce(1) { $0 + $1.nodeCount }
        case .dict(let pairs):
            return pairs.reduce(1) { $0 + $1.key.nodeCount + $1.value.nodeCount }
        case .exception(let e):
            return e.args.reduce(1) { $0 + $1.nodeCount } + (e.state?.nodeCount ?? 0)
        default:
            return 1
        }
    }
}
