extension HelpTopic {
    static let logs: [HelpTopic] = [
        HelpTopic(name: "logging", markdown: """
        # Experiment logs

        Nodes send log lines to the server, which stores them with their timestamp, the
        issuer (a node, or `server`) and a stream name. The server adds its own lines on
        `platform.*` streams (nodes booted, reboots, new devices).

        * `walt log show` selects and prints lines (`walt help show log-show`);
        * `walt log wait` waits for a line matching a pattern (`walt help show log-wait`);
        * `walt log add-checkpoint` names a point in time (`walt help show log-checkpoint`).
        """),
        HelpTopic(name: "log-show", markdown: """
        # walt log show

        Prints past lines (`--history`, `walt help show log-history`), new lines as they
        arrive (`--realtime`, `walt help show log-realtime`), or both. Select lines with
        `--issuers` (`walt help show log-issuers`), `--streams <regexp>` and a regular
        expression on the line; change the output with `--format`
        (`walt help show log-format`).
        """),
        HelpTopic(name: "log-history", markdown: """
        # Which past lines to print

        `--history <start>:<end>`, where each bound is empty (no limit), a checkpoint name,
        or a time relative to now on the server: `-<count><s|m|h|d>`.

        * `--history full`: every stored line; `--history none`: no history (the default).
        * `--history -10m:` the last ten minutes; `--history cp1:cp2` between two checkpoints.
        """),
        HelpTopic(name: "log-realtime", markdown: """
        # Following logs as they arrive

        `walt log show --realtime` prints each new line once, in order, until you press
        Ctrl-C. With `--history`, past lines come first, then new ones, without a gap.
        """),
        HelpTopic(name: "log-checkpoint", markdown: """
        # Checkpoints

        A checkpoint names a point in time, for `--history` bounds.
        `walt log add-checkpoint <name>` (now, or `--date "YYYY-MM-DD HH:MM:SS"`),
        `walt log list-checkpoints`, `walt log remove-checkpoint <name>`. Names are yours:
        other users may reuse them.
        """),
        HelpTopic(name: "log-wait", markdown: """
        # Waiting for a log line

        `walt log wait <regexp>` returns when a new line matches, with the same selection
        switches as `walt log show`. `--mode ALL` waits for a matching line from every
        selected issuer; `--timeout <seconds>` gives up (exit code 1).
        """),
        HelpTopic(name: "log-issuers", markdown: """
        # Whose lines

        `--issuers` takes a set: node names, `server`, `my-nodes` (the default),
        `free-nodes`, `all-nodes`, or a comma-separated mix. `--platform` and `--server`
        are shortcuts for the server's own streams.
        """),
        HelpTopic(name: "log-format", markdown: """
        # Output format of log lines

        `--format` takes a Python format string over the fields `timestamp`, `issuer`,
        `stream` and `line`. The default is
        `{timestamp:%H:%M:%S.%f} {issuer}.{stream} -> {line}`; the timestamp accepts the
        `strftime` directives, for instance `{timestamp:%Y-%m-%d %H:%M:%S}`.
        """),
    ]
}
