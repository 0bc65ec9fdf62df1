// WaltClient: the `walt` command. Command specs as data, a plumbum-compatible parser and
// help renderer, the RPC link over blocking sockets. No NIO, no Foundation, no libpq.
import WaltCommon

/// `walt`: the client personality.
///
/// Parses argv against the command specs; help pages and usage errors are printed here,
/// everything else goes to `CommandRunner`. Nothing on the help and error paths reads the
/// configuration or touches the network.
public enum ClientEntry: PersonalityEntry {
    public static func main(_ arguments: [String]) -> Int32 {
        main(arguments, context: ClientContext(openLink: RPCServerLink.open))
    }

    /// `main` with an injectable context (tests use this to capture output).
    public static func main(_ arguments: [String], context: ClientContext) -> Int32 {
        let outcome = CommandLineParser.parse(arguments)
        if case .run(let invocation) = outcome {
            return CommandRunner(context: context).run(invocation)
        }
        context.writeOutput(report(outcome, renderer: .forCurrentTerminal()))
        return outcome.exitStatus ?? 1
    }

    /// What plumbum prints for an outcome that runs nothing (all of it on stdout).
    public static func report(_ outcome: ParseOutcome, renderer: HelpRenderer) -> String {
        switch outcome {
        case .run:
            return ""
        case .help(let page):
            return renderer.render(page)
        case .usageError(let error, let page):
            return "Error: " + error.message + "\n------\n" + renderer.render(page)
        case .missingSubcommand(let page):
            return "No sub-command given\n------\n" + renderer.render(page)
        case .unknownSubcommand(let name, let page):
            return "Unknown sub-command '" + name + "'\n------\n" + renderer.render(page)
        }
    }
}
