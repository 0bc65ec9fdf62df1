/// The `walt` command line, parsed with plumbum's rules against the command specs.
///
/// Each level (`walt`, the category, the leaf) scans its own tokens (see `LevelScan`) and
/// then validates them in plumbum's order: help wins, then excluded switch pairs, then the
/// positional count, then positional conversion. A level with sub-commands treats its
/// first positional as an unknown sub-command name.
public enum CommandLineParser {
    /// Parses argv without the program name.
    public static func parse(_ arguments: [String]) -> ParseOutcome {
        let scan: LevelScan
        do {
            scan = try LevelScan(arguments, lookup: metaSwitch, isSubcommand: { Category(rawValue: $0) != nil })
        } catch {
            return .usageError(error, .root)
        }
        if scan.wantsHelp { return .help(.root) }
        if let first = scan.positionals.first { return .unknownSubcommand(first, .root) }
        guard let nested = scan.nested, let category = Category(rawValue: nested.name) else {
            return .missingSubcommand(.root)
        }
        return parse(nested.rest, in: category)
    }

    /// Parses the tokens after `walt <category>`.
    static func parse(_ arguments: [String], in category: Category) -> ParseOutcome {
        let page = HelpPage.category(category)
        let commands = category.commands
        let scan: LevelScan
        do {
            scan = try LevelScan(
                arguments, lookup: metaSwitch, isSubcommand: { name in commands.contains { $0.name == name } })
        } catch {
            return .usageError(error, page)
        }
        if scan.wantsHelp { return .help(page) }
        if let first = scan.positionals.first { return .unknownSubcommand(first, page) }
        guard let nested = scan.nested, let command = commands.first(where: { $0.name == nested.name }) else {
            return .missingSubcommand(page)
        }
        return parse(nested.rest, category: category, command: command)
    }

    /// Parses the tokens after `walt <category> <command>`.
    static func parse(_ arguments: [String], category: Category, command: CommandSpec) -> ParseOutcome {
        let page = HelpPage.command(category, command)
        do {
            let scan = try LevelScan(arguments, lookup: command.switchNamed)
            if scan.wantsHelp { return .help(page) }
            try checkExclusions(scan.switches, command: command)
            let values = try convertPositionals(scan.positionals, command: command)
            return .run(Invocation(category: category, command: command, switches: scan.switches, arguments: values))
        } catch {
            return .usageError(error, page)
        }
    }

    /// Upper levels only know `-h`/`--help` (WalT unbinds plumbum's other meta-switches).
    private static func metaSwitch(_ name: String) -> SwitchSpec? {
        SwitchSpec.help.names.contains(name) ? SwitchSpec.help : nil
    }

    /// plumbum's `excludes`: the first given switch (in command-line order) that excludes
    /// another given one is reported, with every given switch it excludes.
    private static func checkExclusions(_ given: [Invocation.GivenSwitch], command: CommandSpec) throws(UsageError) {
        for occurrence in given where !occurrence.spec.excludes.isEmpty {
            let excluded = occurrence.spec.excludes.compactMap { command.switchNamed(String($0.drop { $0 == "-" })) }
            let invalid = given.filter { other in excluded.contains(other.spec) }
            if !invalid.isEmpty {
                throw .excluded(occurrence.typed, invalid: invalid.map(\.typed))
            }
        }
    }

    /// Checks the positional count and converts typed positionals (`int` ports).
    private static func convertPositionals(_ tokens: [String], command: CommandSpec) throws(UsageError) -> [ArgumentValue] {
        let minimum = command.requiredPositionalCount
        if tokens.count < minimum { throw .tooFew(minimum, got: tokens) }
        if let maximum = command.maximumPositionalCount, tokens.count > maximum {
            throw .tooMany(maximum, got: tokens)
        }
        var values: [ArgumentValue] = []
        values.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            let spec = index < command.positionals.count ? command.positionals[index] : command.variadic
            guard let spec else { break }
            values.append(try spec.type.convert(token, name: spec.name))
        }
        return values
    }
}
