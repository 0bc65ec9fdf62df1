/// A command line plumbum would reject with "Error: <message>" and exit code 2.
///
/// The messages are plumbum 1.8.2's own wording (`plumbum/cli/application.py`), built from
/// Python reprs where plumbum formats Python values, so scripts matching them keep working.
public struct UsageError: Error, Equatable, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    static func unknownSwitch(_ typed: String) -> UsageError {
        UsageError("Unknown switch " + typed)
    }

    static func missingValue(_ typed: String) -> UsageError {
        UsageError("Switch \(typed) requires an argument")
    }

    static func repeated(first: String, again: String) -> UsageError {
        if first == again { return UsageError("Switch \(again) already given") }
        return UsageError("Switch \(first) already given (\(again) is equivalent)")
    }

    static func excluded(_ given: String, invalid: [String]) -> UsageError {
        UsageError("Given \(given), the following are invalid " + PythonText.repr(invalid))
    }

    static func tooFew(_ minimum: Int, got: [String]) -> UsageError {
        let noun = minimum == 1 ? "argument" : "arguments"
        return UsageError("Expected at least \(minimum) positional \(noun), got " + PythonText.repr(got))
    }

    static func tooMany(_ maximum: Int, got: [String]) -> UsageError {
        let noun = maximum == 1 ? "argument" : "arguments"
        return UsageError("Expected at most \(maximum) positional \(noun), got " + PythonText.repr(got))
    }

    /// A value plumbum could not convert: `name` is the switch name as typed without its
    /// dashes, or the positional's name; `reason` is the `repr()` of the converter's error.
    static func badValue(_ value: String, for name: String, type: ValueType, reason: String) -> UsageError {
        UsageError(
            "Argument of \(name) expected to be \(type.pythonTypeName), not \(PythonText.repr(value)):\n    \(reason)")
    }
}
