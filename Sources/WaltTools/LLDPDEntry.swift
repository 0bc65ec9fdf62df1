#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt-server-lldpd`: replaces itself with lldpd, configured for walt-net.
public enum LLDPDEntry: ToolEntry {
    static let name = Personality.serverLLDPD.rawValue
    static let help = """
        Usage: walt-server-lldpd [--config FILE]

        Runs lldpd (replacing this process, so that systemd sees lldpd as the main PID)
        with the options WalT needs: CDP/SONMP/EDP reception, AgentX sub-agent of the
        walt snmpd, LLDP only on the walt-net raw device, and the walt-net address as
        management address, so switches report where the server is plugged in.

        Options:
          --config FILE   server configuration (default /etc/walt/server.conf)
          -h, --help      show this help

        Environment: RUNTIME_DIRECTORY, LLDPD_BINARY_NAME, SNMPD_AGENTX_SOCKET, PIDFILE.

        """
    static let valuedOptions: Set<String> = ["--config"]

    static func run(_ arguments: ToolArguments) -> Int32 {
        if let extra = arguments.positionals.first { return usageError("unexpected argument '\(extra)'") }
        let config: ServerConfig
        do {
            (config, _) = try ServerConfig.load(path: arguments.options["--config"] ?? ServerConfig.defaultPath, required: true)
        } catch {
            return failure(error.description)
        }
        let argv = command(config: config, environment: environment)
        StandardStream.output.write(argv.joined(separator: " ") + "\n")
        let error = Subprocess(executable: argv[0], arguments: Array(argv.dropFirst())).exec()
        return failure("cannot run \(argv[0]): \(String(cString: strerror(error)))")
    }

    /// lldpd's command line for this server (services.md §5.1): the walt-net raw device
    /// (all physical interfaces on a virtual-only platform) and the walt-net address.
    static func command(config: ServerConfig, environment: (String) -> String?) -> [String] {
        let runtime = environment("RUNTIME_DIRECTORY") ?? "/run/walt/lldpd"
        var argv = [environment("LLDPD_BINARY_NAME") ?? "lldpd", "-c", "-s", "-e",
                    "-X", environment("SNMPD_AGENTX_SOCKET") ?? "/run/walt/snmpd/agentx-master.socket"]
        if let raw = config.waltNet.rawDevice { argv += ["-I", raw, "-C", raw] }
        argv += ["-m", config.waltNetAddress.host, "-u", runtime + "/lldpd.socket", "-D", "snmp",
                 "-p", environment("PIDFILE") ?? "/run/walt/lldpd/lldpd.pid"]
        return argv
    }
}
