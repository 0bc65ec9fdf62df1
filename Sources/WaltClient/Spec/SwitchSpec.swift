/// A `--switch` of a command: a flag, or a switch taking one value.
///
/// Names are stored bare (`names-only`), as plumbum stores them; `-x` is used for one-letter
/// names and `--x` otherwise. The first name is the primary one; the others are aliases.
public struct SwitchSpec: Sendable, Equatable {
    /// Bare names, primary first (`["issuers", "emitters", "nodes"]`).
    public let names: [String]
    /// The value this switch takes, or nil for a flag.
    public let argument: Argument?
    /// Help text in our words; plumbum's suffixes (default, excludes) are added when shown.
    public let help: String
    /// Switches (with dashes, as shown) that may not be combined with this one.
    public let excludes: [String]
    /// True for `-h, --help`, listed under "Meta-switches:".
    public let isMeta: Bool

    /// The value part of a valued switch.
    public struct Argument: Sendable, Equatable {
        /// Upper-case name shown after the switch (`SECONDS`).
        public let metavar: String
        public let type: ValueType
        /// Default value shown as "; the default is X" (only when Python finds it truthy).
        public let defaultValue: String?

        public init(_ metavar: String, _ type: ValueType = .string, default defaultValue: String? = nil) {
            self.metavar = metavar
            self.type = type
            self.defaultValue = defaultValue
        }

        /// The default as the help shows it: plumbum prints it only when Python finds it
        /// true, so `0` and the empty string stay silent.
        var shownDefault: String? {
            guard let defaultValue, !defaultValue.isEmpty else { return nil }
            if type == .int, Int(defaultValue) == 0 { return nil }
            return defaultValue
        }
    }

    public init(_ names: [String], argument: Argument? = nil, help: String, excludes: [String] = [], isMeta: Bool = false) {
        self.names = names
        self.argument = argument
        self.help = help
        self.excludes = excludes
        self.isMeta = isMeta
    }

    /// A flag with one name.
    public static func flag(_ name: String, help: String, excludes: [String] = []) -> SwitchSpec {
        SwitchSpec([name], help: help, excludes: excludes)
    }

    /// A switch taking a value.
    public static func valued(
        _ names: [String], _ metavar: String, _ type: ValueType = .string, default defaultValue: String? = nil, help: String
    ) -> SwitchSpec {
        SwitchSpec(names, argument: Argument(metavar, type, default: defaultValue), help: help)
    }

    /// The meta-switch every plumbum application has; WalT binds no other.
    public static let help = SwitchSpec(["h", "help"], help: "Prints this help message and quits", isMeta: true)

    /// `-x` for a one-letter name, `--name` otherwise.
    static func dashed(_ name: String) -> String {
        name.count == 1 ? "-" + name : "--" + name
    }

    /// The primary name with its dashes.
    public var primaryName: String { Self.dashed(names[0]) }

    /// The left column of the help line: `--a, --b METAVAR:type`.
    var helpPrefix: String {
        var prefix = names.map(Self.dashed).joined(separator: ", ")
        if let argument {
            prefix += " " + argument.metavar + ":" + argument.type.displayName
        }
        return prefix
    }

    /// The help text with plumbum's generated suffixes.
    var fullHelp: String {
        var text = help
        if let value = argument?.shownDefault { text += "; the default is " + value }
        if !excludes.isEmpty { text += "; excludes " + excludes.joined(separator: ", ") }
        return text
    }
}
