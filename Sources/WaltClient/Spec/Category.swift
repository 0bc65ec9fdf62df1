/// The six command categories of `walt`, in the order the top-level help lists them.
///
/// A category's commands are built only when that category is asked for, so `walt --help`
/// never constructs the 54 command specs.
public enum Category: String, CaseIterable, Sendable {
    case image
    case node
    case log
    case device
    case advanced
    case help

    /// The category names as typed.
    public var name: String { rawValue }

    /// Shown after "->" in the category help and beside the name in the top-level help.
    public var summary: String {
        switch self {
        case .image: "manage the operating system images of WalT nodes"
        case .node: "manage and use WalT nodes"
        case .log: "read, wait for and mark WalT logs"
        case .device: "manage the devices of the WalT platform"
        case .advanced: "commands for platform administration and tooling"
        case .help: "read WalT's documentation"
        }
    }

    /// The category's commands, in declaration order (help order comes from `listed`).
    public var commands: [CommandSpec] {
        switch self {
        case .image: ImageCommands.all
        case .node: NodeCommands.all
        case .log: LogCommands.all
        case .device: DeviceCommands.all
        case .advanced: AdvancedCommands.all
        case .help: HelpCommands.all
        }
    }

    /// Commands sorted as WalT lists them: by ordering, then by name.
    public var listed: [CommandSpec] {
        commands.sorted { ($0.ordering, $0.name) < ($1.ordering, $1.name) }
    }

    /// The command called `name`, aliases included.
    public func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
