/// `walt node ...`: taking, booting, using and watching nodes.
///
/// Positional names, switch names, defaults and orderings are WalT 10.0's; the
/// descriptions are ours.
public enum NodeCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "show", summary: "list WalT nodes and who uses them", ordering: 1,
            switches: [
                .flag("all", help: "also list free nodes and nodes of other users"),
                .flag("names-only", help: "print only the node names"),
            ]),
        CommandSpec(
            "acquire", summary: "take ownership of one or more nodes", ordering: 2,
            positionals: [Positional("node_set", "SET_OF_NODES")]),
        CommandSpec(
            "release", summary: "give one or more nodes back to the free pool", ordering: 3,
            positionals: [Positional("node_set", "SET_OF_NODES")]),
        CommandSpec(
            "boot", summary: "make one or more nodes boot a given OS image", ordering: 4,
            positionals: bootPositionals),
        CommandSpec(
            "shell", summary: "open an interactive shell on a node", ordering: 5,
            positionals: [Positional("node_name", "NODE")]),
        CommandSpec(
            "run", summary: "run a command on one or more nodes, one after the other", ordering: 6,
            positionals: [Positional("node_set", "SET_OF_NODES")],
            variadic: Positional("cmdargs"),
            switches: [.flag("term", help: "give the command a pseudo-terminal")]),
        CommandSpec(
            "cp", summary: "copy files or directories to or from a node", ordering: 7,
            positionals: [Positional("src", "NODE_CP_SRC"), Positional("dst", "NODE_CP_DST")],
            customUsage: CommandSpec.indentedUsage([
                "walt node cp <local-path> <node>:<path>",
                "walt node cp <node>:<path> <local-path>",
                "walt node cp <node>:<path> booted-image",
            ])),
        CommandSpec(
            "save", summary: "turn the current file system of a node into a new image", ordering: 8,
            positionals: [Positional("node_name", "NODE"), Positional("image_name", "TARGET_IMAGE_NAME")]),
        CommandSpec(
            "reboot", summary: "restart one or more nodes", ordering: 9,
            positionals: [Positional("node_set", "SET_OF_NODES")],
            switches: [.flag("hard", help: "only power-cycle through PoE, never a soft reboot")]),
        CommandSpec(
            "config", summary: "show or change the settings of one or more nodes", ordering: 10,
            positionals: [Positional("node_set", "SET_OF_NODES")],
            variadic: Positional("configuration", "NODE_CONFIG_PARAM")),
        CommandSpec(
            "create", summary: "add a new virtual node", ordering: 11,
            positionals: [Positional("node_name", "NODE")]),
        CommandSpec(
            "remove", summary: "delete a virtual node", ordering: 12,
            positionals: [Positional("node_name", "NODE")]),
        CommandSpec(
            "rename", summary: "give a node a new name", ordering: 13,
            positionals: [Positional("old_node_name", "NODE"), Positional("new_node_name")]),
        CommandSpec(
            "ping", summary: "check from the server that a node answers on the WalT network", ordering: 14,
            positionals: [Positional("node_name", "NODE")]),
        CommandSpec(
            "console", summary: "attach to the serial console of a virtual node", ordering: 15,
            positionals: [Positional("node_name", "NODE")]),
        CommandSpec(
            "blink", summary: "blink the LED of a node for some seconds, to find it", ordering: 16,
            positionals: [Positional("node_name", "NODE"), Positional("duration", default: "60")]),
        CommandSpec(
            "wait", summary: "block until one or more nodes have finished booting", ordering: 17,
            positionals: [Positional("node_set", "SET_OF_NODES")],
            switches: [timeoutSwitch]),
        CommandSpec(
            "expose", summary: "forward a local TCP port to a port of a node", ordering: 18,
            positionals: [
                Positional("node_name", "NODE"),
                Positional("node_port", type: .int),
                Positional("local_port", type: .int),
            ]),
        CommandSpec(
            "deploy", summary: "another name for 'boot'", ordering: 19,
            positionals: bootPositionals),
    ]

    /// Shared by `boot` and its alias `deploy`.
    static let bootPositionals = [
        Positional("node_set", "SET_OF_NODES"),
        Positional("image_name_or_default", "IMAGE_OR_DEFAULT"),
    ]

    /// `--timeout` of `node wait` and `log wait`.
    static let timeoutSwitch = SwitchSpec.valued(
        ["timeout"], "SECONDS", .int, default: "-1",
        help: "give up after waiting this many seconds (-1: wait forever)")
}
