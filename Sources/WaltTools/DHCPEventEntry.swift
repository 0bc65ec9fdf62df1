import WaltCommon

/// `walt-dhcp-event`: isc-dhcp-server's `on commit` hook.
///
/// dhcpd runs it synchronously for every lease of an unknown device, so it must start and
/// finish in milliseconds and never hang dhcpd, even when the daemon is down.
public enum DHCPEventEntry: NamedTool {
    static let name = Personality.dhcpEvent.rawValue
    static let help = """
        Usage: walt-dhcp-event commit [--force-name] VCI UCI IP MAC NAME IS_KNOWN DEV_TYPE

        Hook run by isc-dhcp-server ("on commit") when it leases an address to a device
        that WalT does not know yet. It tells walt-server-daemon about the device
        (SSAPI register_device), which records it and regenerates the DHCP configuration.

        Arguments, as the generated dhcpd.conf passes them:
          VCI        vendor-class-identifier, e.g. walt.node.rpi-3-b ("" if none)
          UCI        user-class, e.g. walt.node.pc-x86-64 from iPXE ("" if none)
          IP         leased IPv4 address
          MAC        hardware address (a:b:c:d:e:f, leading zeros optional)
          NAME       host-name the device sent ("" if none)
          IS_KNOWN   1 if dhcpd matched a host entry, else 0
          DEV_TYPE   device type of that host entry (node, switch, unknown)

        Options:
          --force-name   keep NAME as given (no "-<mac suffix>" added)
          -h, --help     show this help

        """
    /// Overrides the daemon's address (default localhost), for tests and odd setups.
    static let hostVariable = "WALT_SERVER_DAEMON_HOST"
    /// dhcpd waits for the hook: fail fast when the daemon is not there.
    static let connectTimeoutMilliseconds: Int32 = 2_000

    /// Positional like dhcpd's call, so vendor classes starting with '-' are data, not options.
    public static func main(_ arguments: [String]) -> Int32 {
        if arguments == ["-h"] || arguments == ["--help"] {
            StandardStream.output.write(help)
            return 0
        }
        let event: DHCPEvent
        do {
            switch try DHCPEvent.parse(arguments) {
            case .otherEvent(let name):
                StandardStream.output.write("unexpected dhcp event: \(name)\n")
                return 0
            case .lease(let lease):
                event = lease
            }
        } catch {
            return usageError(error.description)
        }
        guard event.needsRegistration else { return 0 }
        let host = environment(hostVariable) ?? "localhost"
        do {
            // Pipelined: the call leaves with the handshake (one round trip, not two). The
            // daemon is this install's own, so there is no version to check first.
            let link = try RPCClientLink(host: host, api: "SSAPI", connectTimeoutMilliseconds: connectTimeoutMilliseconds,
                                         pipelined: true)
            let args: [PyValue] = [.str(event.vci), .str(event.uci), .str(event.ip), .str(event.mac),
                                   event.suggestedName.map(PyValue.str) ?? .none]
            let result = try link.call("register_device", args)
            if case .exception(let exception) = result {
                return failure("the daemon refused the device: \(exception.typeName): \(exception.args.first?.stringValue ?? "")")
            }
            return 0
        } catch {
            return failure("cannot register \(event.mac) with walt-server-daemon (\(error)); is walt-server running?")
        }
    }
}
