import WaltCommon

/// `walt-dhcp-event`: isc-dhcp-server's `on commit` hook.
///
/// dhcpd runs it synchronously for every lease of an unknown device, so it must start and
/// finish in milliseconds and never hang dhcpd, even when the daemon is down.
public enum DHCPEventEntry: ToolEntry {
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
    static let flagOptions: Set<String> = ["--force-name"]

    static func run(_ arguments: ToolArguments) -> Int32 {
        failure("registering devices is not available in this build yet (needs the daemon's SSAPI)")
    }
}
