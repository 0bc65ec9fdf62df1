/// A converted value from the command line.
public enum ArgumentValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    /// A flag that was given.
    case flag
}

/// A leaf command with its arguments, after a successful parse.
///
/// Accessors fall back to the spec's defaults, so a command's run code reads values the
/// way WalT's Python code reads its attributes and `main()` parameters.
public struct Invocation: Sendable, Equatable {
    public let category: Category
    public let command: CommandSpec
    /// Switches in command-line order, as typed (`--nodes`) and resolved to their spec.
    public let switches: [GivenSwitch]
    /// Positionals as given (converted), not counting defaults.
    public let arguments: [ArgumentValue]

    /// One switch occurrence.
    public struct GivenSwitch: Sendable, Equatable {
        /// The name as typed, with dashes (`--emitters`).
        public let typed: String
        public let spec: SwitchSpec
        public let value: ArgumentValue
    }

    public init(category: Category, command: CommandSpec, switches: [GivenSwitch], arguments: [ArgumentValue]) {
        self.category = category
        self.command = command
        self.switches = switches
        self.arguments = arguments
    }

    /// `walt <category> <command>`, for messages.
    public var path: String { "walt \(category.name) \(command.name)" }

    /// The value given for the switch whose primary bare name is `name`.
    public func given(_ name: String) -> ArgumentValue? {
        switches.first { $0.spec.names[0] == name }?.value
    }

    /// True when the flag `name` was given.
    public func flag(_ name: String) -> Bool {
        given(name) != nil
    }

    /// The string value of switch `name`, or its default.
    public func string(_ name: String) -> String? {
        switch given(name) {
        case .string(let text): return text
        case .int(let value): return String(value)
        case .flag: return nil
        case nil: return command.switchNamed(name)?.argument?.defaultValue
        }
    }

    /// The int value of switch `name`, or its default.
    public func int(_ name: String) -> Int? {
        if case .int(let value) = given(name) { return value }
        return command.switchNamed(name)?.argument?.defaultValue.flatMap(PythonText.int)
    }

    /// The positional called `name`: as given, else its default; nil for a default of
    /// `None` or a name the command does not have.
    public func positional(_ name: String) -> ArgumentValue? {
        guard let index = command.positionals.firstIndex(where: { $0.name == name }) else { return nil }
        if index < arguments.count { return arguments[index] }
        let spec = command.positionals[index]
        guard let fallback = spec.defaultValue, fallback != "None" else { return nil }
        return spec.type == .int ? PythonText.int(fallback).map(ArgumentValue.int) : .string(fallback)
    }

    /// The values gathered by the variadic tail (`cmdargs...`).
    public var extraArguments: [ArgumentValue] {
        Array(arguments.dropFirst(command.positionals.count))
    }
}
