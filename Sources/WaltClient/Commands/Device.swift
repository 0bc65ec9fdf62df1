/// `walt device ...`: every device of the platform (switches, nodes, unknown devices).
///
/// Positional names, switch names, defaults and orderings are WalT 10.0's; the
/// descriptions are ours.
public enum DeviceCommands {
    static let all: [CommandSpec] = [
        CommandSpec("show", summary: "list the devices the platform knows about", ordering: 1),
        CommandSpec(
            "shell", summary: "open an ssh session on a device that is not a node", ordering: 2,
            positionals: [Positional("device_name", "DEVICE")],
            switches: [.valued(["user"], "USER", help: "log in as this user")]),
        CommandSpec(
            "tree", summary: "draw the network topology of the platform", ordering: 3,
            switches: [.flag("all", help: "include devices of unknown type")]),
        CommandSpec(
            "rescan", summary: "run network discovery again", ordering: 4,
            positionals: [Positional("device_set", "RESCAN_SET_OF_DEVICES", default: "server,explorable-switches")]),
        CommandSpec(
            "rename", summary: "give a device a new name", ordering: 5,
            positionals: [Positional("old_name", "DEVICE"), Positional("new_name")]),
        CommandSpec(
            "config", summary: "show or change the settings of one or more devices", ordering: 6,
            positionals: [Positional("device_set", "SET_OF_DEVICES")],
            variadic: Positional("configuration", "DEVICE_CONFIG_PARAM")),
        CommandSpec(
            "ping", summary: "check from the server that a device answers on the WalT network", ordering: 7,
            positionals: [Positional("device_name", "DEVICE")]),
        CommandSpec(
            "forget", summary: "remove a device that is gone for good, with its data", ordering: 8,
            positionals: [Positional("device_name", "DEVICE")],
            switches: [.flag("force", help: "go ahead even if its logs would be deleted")]),
        CommandSpec(
            "expose", summary: "forward a local TCP port to a port of a device", ordering: 9,
            positionals: [
                Positional("device_name", "DEVICE"),
                Positional("device_port", type: .int),
                Positional("local_port", type: .int),
            ]),
        CommandSpec(
            "port-config", summary: "show or rename the ports of a switch", ordering: 10,
            positionals: [Positional("switch_name", "SWITCH"), Positional("port_id", type: .int, default: "None")],
            variadic: Positional("configuration", "PORT_CONFIG_PARAM")),
    ]
}
