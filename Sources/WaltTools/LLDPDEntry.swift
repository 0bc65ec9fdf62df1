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
        failure("starting lldpd is not available in this build yet")
    }
}
