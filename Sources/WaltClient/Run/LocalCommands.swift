#if canImport(Glibc)
import Glibc
#endif

/// Commands that never contact the server: the documentation and the completion scripts.
enum LocalCommands {
    static func run(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32 {
        switch (invocation.category, invocation.command.name) {
        case (.help, "list"):
            context.writeOutput("The following help topics are available:\n")
            context.writeOutput(HelpTopic.described().map { $0 + "\n" }.joined())
        case (.help, "show"):
            var name = HelpTopic.defaultName
            if case .string(let text)? = invocation.positional("topic") { name = text }
            showTopic(name, context: context)
        case (.advanced, "dump-bash-autocomplete"):
            context.writeOutput(CompletionScript(shell: .bash).text)
        case (.advanced, "dump-zsh-autocomplete"):
            context.writeOutput(CompletionScript(shell: .zsh).text)
        default:
            throw ClientError("\(invocation.path) has no local implementation")
        }
        return 0
    }

    /// The pager when both ends are a terminal, else the Markdown as it is. An unknown
    /// topic is reported on stderr with exit code 0, as upstream.
    static func showTopic(_ name: String, context: ClientContext) {
        guard let topic = HelpTopic.named(name) else {
            context.writeError("Sorry, no such help topic. (tip: use \"walt help list\")\n")
            return
        }
        if isatty(0) == 1, isatty(1) == 1, let terminal = RawTerminal(fd: 1) {
            DocPager(topic: topic.name, terminal: terminal).run()
        } else {
            context.writeOutput(topic.markdown + "\n")
        }
    }
}
