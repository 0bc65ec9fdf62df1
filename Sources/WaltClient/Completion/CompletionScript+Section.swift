extension CompletionScript.Section {
    /// The section as one branch of `_walt_spec`'s `case`: only what differs from the
    /// defaults set before it (no sub-commands, `--help` only, no positionals).
    func rendered() -> String {
        var lines: [String] = []
        if !children.isEmpty {
            lines.append("subs=\(Self.quoted(children.map(\.name).joined(separator: " ")))")
            lines.append("subs_described=\(Self.quoted(Self.described(children.map { ($0.name, $0.summary) })))")
        }
        let long = switches.flatMap { spec in spec.names.filter { $0.count > 1 }.map { ("--" + $0, spec) } }
        if !long.isEmpty {
            let all = [("--help", "print the help of this command and quit")]
                + long.map { name, spec in (name + (spec.argument.map { " " + $0.metavar } ?? ""), spec.fullHelp) }
            lines.append("opts=\(Self.quoted((["--help"] + long.map(\.0)).joined(separator: " ")))")
            lines.append("opts_described=\(Self.quoted(Self.described(all)))")
            for (name, spec) in long {
                if let argument = spec.argument { lines.append("valued[\(name)]=\(argument.metavar)") }
            }
        }
        if positionalCount > 0 { lines.append("nargs=\(positionalCount)") }
        for (index, type) in types { lines.append("types[\(index)]=\(type)") }
        return "        \(Self.quoted(path))*)\n" + lines.map { "            \($0)\n" }.joined() + "            ;;\n"
    }

    /// `name -- description` lines, names padded to one width.
    static func described(_ items: [(String, String)]) -> String {
        let width = items.map { $0.0.count }.max() ?? 0
        return items.map { $0.0.padded(to: width) + " -- " + $0.1 }.joined(separator: "\n")
    }

    /// A double-quoted shell word: `"`, `\`, `$` and `` ` `` escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for char in text {
            if char == "\"" || char == "\\" || char == "$" || char == "`" { out.append("\\") }
            out.append(char)
        }
        return out + "\""
    }
}
