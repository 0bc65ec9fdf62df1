/// `walt log ...`: reading, waiting for and marking log lines.
///
/// Positional names, switch names, defaults and orderings are WalT 10.0's; the
/// descriptions are ours.
public enum LogCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "show", summary: "print log lines from history or as they arrive", ordering: 1,
            positionals: [Positional("logline_regexp", default: "None")],
            switches: sharedSwitches + [
                .flag("realtime", help: "keep printing new lines as they arrive (walt help show log-realtime)"),
                .valued(
                    ["history"], "HISTORY_RANGE", default: "none",
                    help: "which past lines to print (walt help show log-history)"),
            ]),
        CommandSpec(
            "wait", summary: "block until a log line matches a pattern", ordering: 2,
            positionals: [Positional("logline_regexp")],
            switches: sharedSwitches + [
                .valued(
                    ["mode"], "LOG_WAIT_MODE", .choice(["ALL", "ANY"]), default: "ANY",
                    help: "stop at the first match, or once every issuer matched (walt help show log-wait)"),
                .valued(
                    ["time-margin"], "SECONDS", .int, default: "0",
                    help: "also accept lines logged this many seconds ago"),
                NodeCommands.timeoutSwitch,
            ]),
        CommandSpec(
            "add-checkpoint", summary: "name a point in time, to select logs from it later", ordering: 3,
            positionals: [Positional("checkpoint_name")],
            switches: [
                .valued(["date"], "LOG_CHECKPOINT_DATE", help: "place it at this date (walt help show log-checkpoint)")
            ]),
        CommandSpec(
            "remove-checkpoint", summary: "delete a checkpoint", ordering: 4,
            positionals: [Positional("checkpoint_name", "LOG_CHECKPOINT")]),
        CommandSpec("list-checkpoints", summary: "print your checkpoints", ordering: 5),
    ]

    /// Switches common to `show` and `wait`.
    static let sharedSwitches: [SwitchSpec] = [
        .valued(["format"], "LOG_FORMAT", default: defaultFormat, help: "how to print each line (walt help show log-format)"),
        .valued(
            ["issuers", "emitters", "nodes"], "SET_OF_ISSUERS", default: "my-nodes",
            help: "whose logs to select (walt help show log-issuers)"),
        .valued(["streams"], "STREAMS_REGEXP", help: "regular expression the stream name must match"),
        .flag(
            "platform", help: "same as --issuers server --streams platform.*",
            excludes: ["--issuers", "--nodes", "--streams", "--server"]),
        .flag(
            "server", help: "same as --issuers server --streams daemon.*",
            excludes: ["--issuers", "--nodes", "--streams", "--platform"]),
    ]

    /// WalT's default line format (a Python `str.format` template).
    public static let defaultFormat = "{timestamp:%H:%M:%S.%f} {issuer}.{stream} -> {line}"
}
