extension HelpTopic {
    static let devices: [HelpTopic] = [
        HelpTopic(name: "device-sets", markdown: """
        # Device sets

        Where a command takes a set of devices, give a comma-separated list of device
        names and keywords: `server`, `my-nodes`, `free-nodes`, `all-nodes`,
        `all-switches`, `explorable-switches` (switches with `lldp.explore=true`),
        `all-devices`.
        """),
        HelpTopic(name: "device-config", markdown: """
        # Device settings

        `walt device config <devices>` prints settings; `walt device config <devices>
        name=value ...` changes them. Node settings are in `walt help show node-config`.

        * unknown devices: `type=switch` declares a switch.
        * switches: `lldp.explore=true|false` (topology discovery; needs the SNMP
          settings), `poe.reboots=true|false` (power-cycling nodes; needs
          `lldp.explore=true`), `snmp.version=1|2`, `snmp.community=<text>`.
        * devices of walt-net: `netsetup=LAN|NAT`, `expose=<server-port>:<device-port>,...|none`.
        """),
        HelpTopic(name: "device-port-config", markdown: """
        # Switch port settings

        `walt device port-config <switch> <port>` prints the settings of a switch port;
        `walt device port-config <switch> <port> name=<text>` names the port.
        """),
        HelpTopic(name: "device-expose", markdown: """
        # Reaching a port of a device from your machine

        `walt device expose <device> <device-port> <local-port>` relays connections to
        `<local-port>` of your machine to the device, through the server, as
        `walt node expose` does for nodes.
        """),
    ]
}
