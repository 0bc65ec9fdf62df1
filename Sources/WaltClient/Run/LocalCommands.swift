/// Commands that never contact the server: the documentation and the completion scripts.
///
/// Their content (WalT's 72 help topics, the generated completion scripts) is not written
/// yet; until it is, they say so instead of printing something that looks real.
enum LocalCommands {
    static func run(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32 {
        switch (invocation.category, invocation.command.name) {
        case (.help, "list"), (.help, "show"):
            throw ClientError("\(invocation.path): the help topics are not written yet")
        case (.advanced, "dump-bash-autocomplete"), (.advanced, "dump-zsh-autocomplete"):
            throw ClientError("\(invocation.path): completion scripts are not generated yet")
        default:
            throw ClientError("\(invocation.path) has no local implementation")
        }
    }
}
