/// The shell completion script `walt advanced dump-bash-autocomplete` and
/// `dump-zsh-autocomplete` print, generated from the command specs so it always matches
/// the parser.
///
/// The script knows the command tree (categories, commands, switches, positional types)
/// and the help topics; values only the server knows (node, image, device names,
/// checkpoints, remote paths) come from `walt-autocomplete-helper TYPE WORDS...`, the
/// same protocol as upstream, so our script works with either client installed.
struct CompletionScript {
    enum Shell { case bash, zsh }

    let shell: Shell

    var text: String {
        var out = shell == .bash ? CompletionShellCode.bashHeader : CompletionShellCode.zshHeader
        out += CompletionShellCode.specFunctionStart
        for section in Self.sections() { out += section.rendered() }
        out += CompletionShellCode.specFunctionEnd
        out += CompletionShellCode.topics(HelpTopic.all.map(\.name), described: HelpTopic.described())
        out += CompletionShellCode.common
        out += shell == .bash ? CompletionShellCode.bashEntry : CompletionShellCode.zshEntry
        return out
    }

    /// What the script knows of one command path; commands come before their category and
    /// categories before the root, because the shell's `case` takes the first prefix match.
    struct Section {
        var path: String
        var children: [(name: String, summary: String)] = []
        var switches: [SwitchSpec] = []
        var positionalCount = 0
        /// Completion type by positional index; the variadic tail's at index `positionalCount`.
        var types: [(index: Int, type: String)] = []
    }

    static func sections() -> [Section] {
        var sections: [Section] = []
        for category in Category.allCases {
            for command in category.commands {
                var section = Section(path: "walt \(category.name) \(command.name)", switches: command.switches)
                section.positionalCount = command.positionals.count
                for (index, positional) in command.positionals.enumerated() {
                    // Upstream names the Python class of the annotation, `int` included.
                    if let type = positional.completion ?? (positional.type == .int ? "int" : nil) {
                        section.types.append((index, type))
                    }
                }
                if let type = command.variadic?.completion { section.types.append((command.positionals.count, type)) }
                sections.append(section)
            }
            sections.append(Section(path: "walt \(category.name)",
                                    children: category.commands.map { ($0.name, $0.summary) }))
        }
        sections.append(Section(path: "walt", children: Category.allCases.map { ($0.name, $0.summary) }))
        return sections
    }
}
