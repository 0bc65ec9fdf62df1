/// `walt help ...`: the documentation topics, read locally.
public enum HelpCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "show", summary: "print the documentation of a topic",
            positionals: [Positional("topic", "HELP_TOPIC", default: "help-intro")],
            customUsage: "walt help show [topic=help-intro]\n",
            execution: .local),
        CommandSpec("list", summary: "list the documentation topics", execution: .local),
    ]
}
