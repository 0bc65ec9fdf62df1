/// The three help layouts of `walt`, rendered from the command specs.
///
/// The top level and the categories use WalT's own template (a fixed header, then the
/// entries as `"    %-<n>s  %s"`); leaf commands use plumbum's generated layout, whose
/// switch column depends on the terminal width.
public struct HelpRenderer: Sendable {
    /// Terminal width for the leaf layout.
    public let columns: Int

    public init(columns: Int) {
        self.columns = columns
    }

    /// A renderer for the terminal the process is attached to (80 columns when none).
    public static func forCurrentTerminal() -> HelpRenderer {
        HelpRenderer(columns: TerminalWidth.current())
    }

    public func render(_ page: HelpPage) -> String {
        switch page {
        case .root: renderRoot()
        case .category(let category): render(category)
        case .command(let category, let command): render(command, in: category)
        }
    }

    /// `walt --help`.
    public func renderRoot() -> String {
        var text = """

            WalT platform control tool.
            Version: \(WaltVersion.string)

            Usage:
                walt CATEGORY SUBCOMMAND [args...]

            Help about a given category or subcommand:
                walt CATEGORY --help
                walt CATEGORY SUBCOMMAND --help

            Help about WalT in general:
                walt help show

            Categories:

            """
        Self.appendEntries(Category.allCases.map { ($0.name, $0.summary) }, to: &text)
        return text
    }

    /// `walt <category> --help`.
    public func render(_ category: Category) -> String {
        var text = """

            WalT platform control tool
            -> \(category.summary)

            Usage:
                walt \(category.name) SUBCOMMAND [args...]

            Help about a given subcommand:
                walt \(category.name) SUBCOMMAND --help

            Help about WalT in general:
                walt help show

            Sub-commands:

            """
        Self.appendEntries(category.listed.map { ($0.name, $0.summary) }, to: &text)
        return text
    }

    /// `"    %-<longest>s  %s"` per entry, as WalT's toolbox help prints them.
    private static func appendEntries(_ entries: [(String, String)], to text: inout String) {
        let width = entries.reduce(0) { max($0, $1.0.count) }
        for (name, summary) in entries {
            text += "    " + name.padded(to: width) + "  " + summary + "\n"
        }
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (`%-<width>s`).
    func padded(to width: Int) -> String {
        let missing = width - unicodeScalars.count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }
}
