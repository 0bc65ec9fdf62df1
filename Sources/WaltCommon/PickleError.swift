/// Why a pickle was refused. Every malformed, hostile or unsupported input ends here;
/// after one, the decoder's stream is out of sync and it keeps failing.
public enum PickleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message would exceed `PickleLimits.maxMessageSize` bytes.
    case messageTooLarge(limit: Int)
    /// Containers nest deeper than `PickleLimits.maxDepth`.
    case nestingTooDeep(limit: Int)
    /// The value would hold more than `PickleLimits.maxValueCount` values (shared references
    /// through the memo can make a small pickle describe a huge tree).
    case tooManyValues(limit: Int)
    case unknownOpcode(UInt8, offset: Int)
    /// A valid opcode building something we do not model (sets, ...).
    case unsupportedOpcode(String, offset: Int)
    case unsupportedProtocol(Int)
    /// A GLOBAL outside the allow-list (datetime, array reconstructor, builtin exceptions).
    case forbiddenGlobal(module: String, name: String)
    /// The opcode's operands are not on the stack, or are of the wrong kind.
    case malformed(String, offset: Int)
    case invalidUTF8(offset: Int)
    case memoKeyMissing(Int, offset: Int)
    /// A value the model cannot hold: recursive structures, class objects as values, ...
    case unrepresentable(String, offset: Int)
    /// An object constructor refused its arguments (bad datetime, array typecode...).
    case invalidObject(String, offset: Int)

    public var description: String {
        switch self {
        case .messageTooLarge(let limit): return "pickle message larger than the limit of \(limit) bytes"
        case .nestingTooDeep(let limit): return "pickle value nested deeper than the limit of \(limit)"
        case .tooManyValues(let limit): return "pickle value holds more than the limit of \(limit) values"
        case .unknownOpcode(let op, let offset): return "unknown pickle opcode 0x\(String(op, radix: 16)) at offset \(offset)"
        case .unsupportedOpcode(let name, let offset): return "unsupported pickle opcode \(name) at offset \(offset)"
        case .unsupportedProtocol(let proto): return "unsupported pickle protocol \(proto)"
        case .forbiddenGlobal(let module, let name): return "pickle refers to \(module).\(name), which is not allowed"
        case .malformed(let why, let offset): return "malformed pickle at offset \(offset): \(why)"
        case .invalidUTF8(let offset): return "invalid UTF-8 (or surrogate) in pickled str at offset \(offset)"
        case .memoKeyMissing(let key, let offset): return "pickle memo key \(key) missing at offset \(offset)"
        case .unrepresentable(let why, let offset): return "pickle value not supported at offset \(offset): \(why)"
        case .invalidObject(let why, let offset): return "pickled object refused at offset \(offset): \(why)"
        }
    }
}

/// Bounds on what one pickle message may cost the decoder.
public struct PickleLimits: Sendable, Equatable {
    /// Bytes in one message, PROTO to STOP (default 64 MiB).
    public var maxMessageSize: Int
    /// Container nesting (default 100; WalT messages nest about 5 deep).
    public var maxDepth: Int
    /// Values in the decoded tree, counting shared references each time (default 16 Mi).
    public var maxValueCount: Int

    public init(maxMessageSize: Int = 64 << 20, maxDepth: Int = 100, maxValueCount: Int = 16 << 20) {
        self.maxMessageSize = maxMessageSize
        self.maxDepth = maxDepth
        self.maxValueCount = maxValueCount
    }
}
