/// A positional argument of a leaf command.
///
/// Names come from WalT's Python `main()` signatures; they are what users see in the usage
/// line, so they keep their snake_case spelling.
public struct Positional: Sendable, Equatable {
    /// Name shown in the usage line (`node_set`, `image_name_or_default`).
    public let name: String
    /// What the value must be; only `.int` is checked when parsing.
    public let type: ValueType
    /// Completion class of the value (`NODE`, `SET_OF_NODES`, ...), as WalT's `types.py`;
    /// nil for plain strings. Only shell completion reads it.
    public let completion: String?
    /// Default shown as `[name=default]` (Python's `str()` of the default, so `None`
    /// for "absent"); nil for a required positional.
    public let defaultValue: String?

    public init(_ name: String, _ completion: String? = nil, type: ValueType = .string, default defaultValue: String? = nil) {
        self.name = name
        self.type = type
        self.completion = completion
        self.defaultValue = defaultValue
    }

    /// The usage-line token: `name`, `[name=default]`, or `name...` for a variadic tail.
    var usageToken: String {
        if let defaultValue { return "[\(name)=\(defaultValue)]" }
        return name
    }
}

/// The type of a switch value or positional, as plumbum converts and displays it.
public enum ValueType: Sendable, Equatable {
    /// Any text (`str`).
    case string
    /// A Python `int()` literal.
    case int
    /// One of a few words, compared without case (plumbum's `cli.Set`).
    case choice([String])

    /// How plumbum names the type after the metavar (`SECONDS:int`, `MODE:{ALL, ANY}`).
    var displayName: String {
        switch self {
        case .string: "str"
        case .int: "int"
        case .choice(let words): "{" + words.joined(separator: ", ") + "}"
        }
    }

    /// How plumbum prints the expected type in a conversion error (Python's `str(argtype)`).
    var pythonTypeName: String {
        switch self {
        case .string: "<class 'str'>"
        case .int: "<class 'int'>"
        case .choice: displayName
        }
    }
}
