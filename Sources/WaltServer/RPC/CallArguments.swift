import WaltCommon

/// Binds a call's positional and keyword arguments to a method's parameter names, the way
/// Python does, so the Python client's calls (`show_nodes('alice', False, False)` or with
/// keywords) reach the same parameters.
public struct CallArguments: Sendable {
    public let method: String
    private var values: [String: PyValue] = [:]

    /// A call that does not fit the method's signature; becomes a TypeError for the caller.
    public struct Mismatch: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// - Parameters:
    ///   - parameters: names in order; the first `required` ones must be given.
    ///   - defaults: values of the optional ones.
    public init(method: String, args: [PyValue], kwargs: [(key: PyValue, value: PyValue)],
                parameters: [String], required: Int, defaults: [String: PyValue] = [:]) throws(Mismatch) {
        self.method = method
        guard args.count <= parameters.count else {
            throw Mismatch(message: "\(method)() takes \(parameters.count) arguments but \(args.count) were given")
        }
        for (index, value) in args.enumerated() { values[parameters[index]] = value }
        for (key, value) in kwargs {
            guard case .str(let name) = key, parameters.contains(name) else {
                throw Mismatch(message: "\(method)() got an unexpected keyword argument \(PythonRepr.repr(key.stringValue ?? "?"))")
            }
            guard values[name] == nil else {
                throw Mismatch(message: "\(method)() got multiple values for argument '\(name)'")
            }
            values[name] = value
        }
        for (index, name) in parameters.enumerated() where values[name] == nil {
            if let value = defaults[name] {
                values[name] = value
            } else if index < required {
                throw Mismatch(message: "\(method)() missing required argument: '\(name)'")
            } else {
                values[name] = PyValue.none
            }
        }
    }

    public subscript(name: String) -> PyValue { values[name] ?? .none }

    public func string(_ name: String) throws(Mismatch) -> String {
        guard case .str(let text) = self[name] else { throw typeError(name, "a str") }
        return text
    }

    public func optionalString(_ name: String) throws(Mismatch) -> String? {
        switch self[name] {
        case .none: return nil
        case .str(let text): return text
        default: throw typeError(name, "a str or None")
        }
    }

    /// Python truthiness for the flags clients pass as bool (or 0/1, or None).
    public func bool(_ name: String) -> Bool {
        switch self[name] {
        case .none: return false
        case .bool(let flag): return flag
        case .int(let number): return number != PyInt(0)
        case .str(let text): return !text.isEmpty
        default: return true
        }
    }

    private func typeError(_ name: String, _ expected: String) -> Mismatch {
        Mismatch(message: "\(method)(): argument '\(name)' must be \(expected), not \(self[name].typeName)")
    }
}
