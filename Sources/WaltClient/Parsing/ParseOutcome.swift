/// A help page of `walt`: the top level, a category, or a leaf command.
public enum HelpPage: Sendable, Equatable {
    case root
    case category(Category)
    case command(Category, CommandSpec)
}

/// What a command line asks for, decided without touching the network or the config.
public enum ParseOutcome: Sendable, Equatable {
    /// Run this command.
    case run(Invocation)
    /// `-h`/`--help` was given: print the page, exit 0.
    case help(HelpPage)
    /// plumbum's `SwitchError`: print "Error: ...", "------" and the page, exit 2.
    case usageError(UsageError, HelpPage)
    /// `walt` or `walt <category>` alone: "No sub-command given", the page, exit 1.
    case missingSubcommand(HelpPage)
    /// `walt <bogus>`: "Unknown sub-command '<bogus>'", the page, exit 1.
    case unknownSubcommand(String, HelpPage)

    /// The exit status plumbum gives this outcome when nothing runs (nil for `.run`).
    public var exitStatus: Int32? {
        switch self {
        case .run: nil
        case .help: 0
        case .usageError: 2
        case .missingSubcommand, .unknownSubcommand: 1
        }
    }
}
