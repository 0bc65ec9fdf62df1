/// One leaf command (`walt node show`), described as data.
///
/// The parser, the help renderer and (later) the completion scripts all read the same
/// spec, so a switch or positional exists in exactly one place. Field meanings follow
/// plumbum, because WalT 10.0's help layout and parsing come from plumbum.
public struct CommandSpec: Sendable, Equatable {
    /// The sub-command name as typed (`show`, `add-checkpoint`).
    public let name: String
    /// One-line description shown in the category list and on the first line of the help.
    public let summary: String
    /// Position in the category listing; ties sort by name (WalT's `ORDERING`).
    public let ordering: Int
    /// Positionals in order; optional ones carry the default shown in `[name=default]`.
    public let positionals: [Positional]
    /// The trailing `name...` positional, when the command takes any number of extras.
    public let variadic: Positional?
    /// Switches besides the implicit `-h, --help`.
    public let switches: [SwitchSpec]
    /// Hand-written usage text replacing plumbum's generated line (printed verbatim).
    public let customUsage: String?
    /// Whether the command needs the server or runs locally.
    public let execution: Execution

    /// How a parsed command is carried out.
    public enum Execution: Sendable, Equatable {
        /// Talks to the WalT server through the client context's link.
        case server
        /// Runs on this machine only (help pages, completion scripts).
        case local
    }

    public init(
        _ name: String,
        summary: String,
        ordering: Int = 0,
        positionals: [Positional] = [],
        variadic: Positional? = nil,
        switches: [SwitchSpec] = [],
        customUsage: String? = nil,
        execution: Execution = .server
    ) {
        self.name = name
        self.summary = summary
        self.ordering = ordering
        self.positionals = positionals
        self.variadic = variadic
        self.switches = switches
        self.customUsage = customUsage
        self.execution = execution
    }

    /// Positionals that must be given: those without a default.
    public var requiredPositionalCount: Int {
        positionals.count { $0.defaultValue == nil }
    }

    /// The most positionals accepted, or nil when a variadic tail accepts any number.
    public var maximumPositionalCount: Int? {
        variadic == nil ? positionals.count : nil
    }

    /// The switch answering to `name` (bare, without dashes), `-h`/`--help` included.
    func switchNamed(_ name: String) -> SwitchSpec? {
        if SwitchSpec.help.names.contains(name) { return SwitchSpec.help }
        return switches.first { $0.names.contains(name) }
    }
}

extension CommandSpec {
    /// A hand-written usage block in the shape WalT's Python docstrings give it: each line
    /// indented by four spaces (blank lines stay empty), and a last line of four spaces
    /// where the docstring closed.
    static func indentedUsage(_ lines: [String]) -> String {
        var text = ""
        for line in lines {
            text += line.isEmpty ? "\n" : "    " + line + "\n"
        }
        return text + "    "
    }
}
