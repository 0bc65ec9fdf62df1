import WaltCommon

/// Upstream's `convert_query_param_value`: a query value for a field that is not a string
/// goes through `json.loads`, then the field's Python type (`bool(...)`, `float(...)`). So
/// `true`, `1` and `"x"` are all True, `0`, `null` and `[]` are False, and a float accepts
/// `1.5`, `"1.5"` or `true`. The 400 message quotes `str()` of the parsed value when the cast
/// failed, or the raw text when `json.loads` did.
enum QueryCast {
    enum Kind: String, Sendable {
        case str, bool, float
    }

    enum Value: Sendable, Equatable {
        case str(String)
        case bool(Bool)
        case float(Double)
    }

    static func convert(_ text: String, as kind: Kind) -> Result<Value, WebError> {
        if kind == .str { return .success(.str(text)) }
        let parsed: PyValue
        do {
            parsed = try JSONReader.parse(text)
        } catch {
            return .failure(refusal(text, kind))
        }
        switch kind {
        case .str: return .success(.str(text))
        case .bool: return .success(.bool(truth(parsed)))
        case .float:
            guard let number = float(parsed) else { return .failure(refusal(pythonStr(parsed), kind)) }
            return .success(.float(number))
        }
    }

    private static func refusal(_ shown: String, _ kind: Kind) -> WebError {
        .badRequest("cannot interpret '\(shown)' as a '\(kind.rawValue)'.")
    }

    /// Python's truth value of what `json.loads` can return.
    static func truth(_ value: PyValue) -> Bool {
        switch value {
        case .none: false
        case .bool(let flag): flag
        case .int(let number): number != PyInt(0)
        case .float(let number): number != 0
        case .str(let text): !text.isEmpty
        case .list(let items), .tuple(let items): !items.isEmpty
        case .dict(let pairs): !pairs.isEmpty
        default: true
        }
    }

    /// Python's `float(value)`, nil where it raises (None, containers, bad text, an int too
    /// large for a double).
    static func float(_ value: PyValue) -> Double? {
        switch value {
        case .bool(let flag): return flag ? 1 : 0
        case .int(let number):
            guard let result = Double(number.description), result.isFinite else { return nil }
            return result
        case .float(let number): return number
        case .str(let text): return PythonFloatText.parse(text)
        default: return nil
        }
    }

    /// Python's `str(value)`.
    static func pythonStr(_ value: PyValue) -> String {
        if case .str(let text) = value { return text }
        if case .float(let number) = value { return PythonRepr.repr(number) }
        return (try? PythonRepr.repr(value)) ?? value.description
    }
}
