import WaltCommon

/// `walt-net-config up|down`: brings the walt networks of server.conf up or down.
public enum NetConfigEntry: ToolEntry {
    static let name = Personality.netConfig.rawValue
    static let help = """
        Usage: walt-net-config [--config FILE] up|down

        Brings up (or down) the networks listed under "network:" in the server
        configuration: the walt-net bridge on its raw device (or a dummy interface on a
        virtual-only platform), optional VLAN interfaces, and the configured addresses.
        "down" removes what "up" created. Set IFACE to handle a single network.

        Options:
          --config FILE   server configuration (default /etc/walt/server.conf)
          -h, --help      show this help

        """
    static let valuedOptions: Set<String> = ["--config"]

    static func run(_ arguments: ToolArguments) -> Int32 {
        guard let action = arguments.positionals.first else {
            return failure("missing 1st argument: \"up\" or \"down\"")
        }
        guard action == "up" || action == "down", arguments.positionals.count == 1 else {
            return failure("1st argument must be \"up\" or \"down\"")
        }
        return failure("network configuration is not available in this build yet")
    }
}
