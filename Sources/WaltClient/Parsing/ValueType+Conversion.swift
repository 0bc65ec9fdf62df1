extension ValueType {
    /// Converts `text` as plumbum's argument type would.
    ///
    /// `int` follows Python's `int()`; a choice matches without case and yields the
    /// lower-cased word (plumbum's `cli.Set` does exactly that).
    func convert(_ text: String, name: String) throws(UsageError) -> ArgumentValue {
        switch self {
        case .string:
            return .string(text)
        case .int:
            guard let value = PythonText.int(text) else {
                let reason = "invalid literal for int() with base 10: " + PythonText.repr(text)
                throw UsageError.badValue(text, for: name, type: self, reason: PythonText.valueError(reason))
            }
            return .int(value)
        case .choice(let words):
            let lowered = text.lowercased()
            guard let match = words.first(where: { $0.lowercased() == lowered }) else {
                let reason = "Invalid value: \(text) (Expected one of \(PythonText.tupleRepr(words)))"
                throw UsageError.badValue(text, for: name, type: self, reason: PythonText.valueError(reason))
            }
            return .string(match.lowercased())
        }
    }
}
