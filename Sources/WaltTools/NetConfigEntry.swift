import WaltCommon

/// `walt-net-config up|down`: brings the walt networks of server.conf up or down.
public enum NetConfigEntry: ToolEntry {
    static let name = Personality.netConfig.rawValue
    static let help = """
        Usage: walt-net-config [--config FILE] [--state-dir DIR] up|down

        Brings up (or down) the networks listed under "network:" in the server
        configuration: the walt-net bridge on its raw device (or a dummy interface on a
        virtual-only platform), optional VLAN interfaces, and the configured addresses.
        "down" removes what "up" created. Set IFACE to handle a single network.
        Both are idempotent: "up" creates only what is missing.

        Options:
          --config FILE     server configuration (default /etc/walt/server.conf)
          --state-dir DIR   where "up" records what it created (default /var/lib/walt);
                            "up" also writes services/tftpd/{map,tftpd.env} there
          -h, --help      show this help

        """
    static let valuedOptions: Set<String> = ["--config", "--state-dir"]

    static func run(_ arguments: ToolArguments) -> Int32 {
        guard let action = arguments.positionals.first else {
            return failure("missing 1st argument: \"up\" or \"down\"")
        }
        guard action == "up" || action == "down", arguments.positionals.count == 1 else {
            return failure("1st argument must be \"up\" or \"down\"")
        }
        let config: ServerConfig
        do {
            (config, _) = try ServerConfig.load(path: arguments.options["--config"] ?? ServerConfig.defaultPath, required: true)
        } catch {
            return failure(error.description)
        }
        var networks = config.networks
        if let only = environment("IFACE") {
            StandardStream.output.write("Using interface \(only) from environment variable IFACE.\n")
            networks = networks.filter { $0.name == only }
            guard !networks.isEmpty else { return failure("\(only): interface is not listed in configuration file.") }
        }
        guard let ip = IPCommand.locate() else { return failure("iproute2's ip command was not found (apt-get install iproute2)") }
        let stateDirectory = arguments.options["--state-dir"] ?? "/var/lib/walt"
        let setup = NetworkSetup(ip: ip, stateDirectory: stateDirectory) { StandardStream.output.write($0 + "\n") }
        do {
            try StateFile.ensureDirectory(stateDirectory)
            for network in networks {
                if action == "up" { try setup.up(network) } else { try setup.down(network.name) }
            }
            if action == "up", networks.contains(where: { $0.name == "walt-net" }) {
                try TFTPServiceFiles.write(stateDirectory: stateDirectory, serverIP: config.waltNetAddress.host)
            }
        } catch {
            return failure("\(error)")
        }
        return 0
    }
}
