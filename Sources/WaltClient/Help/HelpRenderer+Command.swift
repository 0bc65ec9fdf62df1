/// The leaf layout: plumbum's `Application.help()` as WalT 10.0 shows it.
extension HelpRenderer {
    /// `walt <category> <command> --help`.
    public func render(_ command: CommandSpec, in category: Category) -> String {
        var text = command.summary + "\n\nUsage:\n"
        if let custom = command.customUsage {
            text += custom + "\n"
        } else {
            var tokens = command.positionals.map(\.usageToken)
            if let variadic = command.variadic { tokens.append(variadic.name + "...") }
            text += "    walt \(category.name) \(command.name) [SWITCHES] " + tokens.joined(separator: " ") + "\n\n"
        }
        let regular = command.switches.sorted { $0.names.lexicographicallyPrecedes($1.names) }
        let all = [SwitchSpec.help] + regular
        let layout = SwitchColumns(prefixWidth: all.reduce(0) { max($0, $1.helpPrefix.unicodeScalars.count) }, columns: columns)
        text += "Meta-switches:\n" + layout.line(for: .help) + "\n"
        if !regular.isEmpty {
            text += "Switches:\n"
            for spec in regular { text += layout.line(for: spec) }
            text += "\n"
        }
        return text
    }
}

/// plumbum's two-column switch list: names and metavar on the left, help wrapped on the
/// right, the help column starting where the longest left part ends (plus 6), unless the
/// terminal is too narrow, in which case help moves to the next lines.
struct SwitchColumns {
    let columns: Int
    /// Width given to the wrapped help.
    let helpWidth: Int
    /// Newline plus the indentation of continuation lines.
    let indentation: String

    init(prefixWidth: Int, columns: Int) {
        self.columns = columns
        let switchWidth = prefixWidth + 4
        helpWidth = max(columns - min(switchWidth, 60), 50) - 6
        indentation = "\n" + String(repeating: " ", count: max(columns - helpWidth, 0))
    }

    /// One entry, ending with a newline.
    func line(for spec: SwitchSpec) -> String {
        let prefix = spec.helpPrefix
        let prefixWidth = prefix.unicodeScalars.count
        let help = spec.fullHelp.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingPythonWhitespace() }.joined(separator: " ")
        let message = TextWrapper(width: helpWidth).wrap(help).joined(separator: indentation)
        let padding: String
        if prefixWidth + helpWidth >= columns {
            padding = indentation
        } else {
            padding = String(repeating: " ", count: max(columns - helpWidth - prefixWidth - 4, 1))
        }
        return "    " + prefix + padding + message + "\n"
    }
}

extension Substring {
    /// Python's `str.strip()` for the ASCII white space help text can hold.
    func trimmingPythonWhitespace() -> String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { " \t\n\r\u{0B}\u{0C}".unicodeScalars.contains($0) }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
