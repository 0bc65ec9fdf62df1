/// Why a Python literal could not be parsed (or printed). Parsing never evaluates
/// anything: input that is not a literal of the wire model ends here.
public enum PythonLiteralError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(String, offset: Int)
    case unsupported(String, offset: Int)
    case nestingTooDeep(limit: Int)
    case tooLong(limit: Int)
    case integerTooLong(digits: Int)
    case invalidValue(String, offset: Int)

    public var description: String {
        switch self {
        case .syntax(let why, let offset): return "invalid Python literal at offset \(offset): \(why)"
        case .unsupported(let why, let offset): return "unsupported Python literal at offset \(offset): \(why)"
        case .nestingTooDeep(let limit): return "Python literal nested deeper than the limit of \(limit)"
        case .tooLong(let limit): return "Python literal longer than the limit of \(limit) bytes"
        case .integerTooLong(let digits): return "integer of \(digits) digits exceeds the limit of 4300 digits"
        case .invalidValue(let why, let offset): return "invalid value at offset \(offset): \(why)"
        }
    }
}
