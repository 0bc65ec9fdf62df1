import WaltCommon

/// `walt device port-config`: names of switch ports, and what WalT knows of each port in
/// use (upstream's PortSettingsManager, with its messages).
struct PortConfig {
    let context: APIContext

    init(_ context: APIContext) {
        self.context = context
    }

    private var requester: any Requester { context.requester }

    /// A switch whose ports WalT may look at, or nil once the reason is written.
    private func explorableSwitch(_ name: String) async throws -> DeviceInfo? {
        guard let device = try await DeviceSets(daemon: context.daemon, requester: requester).device(named: name) else {
            return nil
        }
        guard device.type == "switch" else {
            try await requester.stderr("Failed: \(name) is not a switch.\n")
            return nil
        }
        let devices = try await TopologyRepository(store: context.daemon.store).devices()
        guard devices[device.mac]?.lldpExplore == true else {
            try await requester.stderr("Failed: cannot detect switch ports of \(name) because \"lldp.explore\" "
                                       + "config option is not enabled.\nSee: walt help show device-config\n")
            return nil
        }
        return device
    }

    func set(switchName: String, port: Int?, arguments: [String]) async throws -> PyValue {
        guard let request = DeviceSettingsRequest(arguments: arguments), !request.settings.isEmpty else {
            try await requester.stderr(DeviceSettingsRequest.usage)
            return false
        }
        guard request.settings.allSatisfy({ $0.name == "name" }), let name = request.value(of: "name") else {
            try await requester.stderr("Failed: the only writable config item is `name=<port-name>`.\n")
            return false
        }
        guard Self.isPortName(name) else {
            try await requester.stderr("Failed: the port name can only be made of digits, letters, and dashes (minus signs).\n")
            return false
        }
        guard let port else {
            try await requester.stderr("Failed: please specify the port ID (walt device port-config <switch> <port_id> name=<port-name>).\n")
            return false
        }
        var isPortNumber = false
        if name.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard Int(name) == port else {
                try await requester.stderr("Failed: to avoid confusion, the only integer allowed for this port name is "
                                           + "\"\(port)\", the ID of the port in the switch.\n")
                return false
            }
            isPortNumber = true
        }
        guard let device = try await explorableSwitch(switchName) else { return false }
        // Only names other than the port's number are kept.
        try await TopologyRepository(store: context.daemon.store)
            .setPortName(switchMAC: device.mac, port: port, name: isPortNumber ? nil : name)
        try await requester.stdout("Done.\n")
        return .none
    }

    /// Upstream's `^[a-zA-Z0-9-]+$`.
    static func isPortName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) || byte == 0x2d
        }
    }

    func show(switchName: String, port: Int?) async throws -> PyValue {
        guard let device = try await explorableSwitch(switchName) else { return false }
        let repository = TopologyRepository(store: context.daemon.store)
        let devices = try await repository.devices()
        var peers: [Int: String] = [:]
        for (pair, link) in try await repository.load().sortedLinks {
            if pair.mac1 == device.mac, let port = link.port1 { peers[port] = devices[pair.mac2]?.name }
            if pair.mac2 == device.mac, let port = link.port2 { peers[port] = devices[pair.mac1]?.name }
        }
        let poeOff = try await PoEControl(daemon: context.daemon).portsOff(switchMAC: device.mac)
        let names = try await repository.portNames(switchMAC: device.mac)[device.mac] ?? [:]
        var footer: [String] = []
        let ports: [Int]
        if let port {
            try await requester.stdout("Port \(port) of \(switchName) has the following config:\n")
            ports = [port]
        } else {
            ports = Set(peers.keys).union(poeOff.keys).union(names.keys).sorted()
            if ports.isEmpty {
                try await requester.stdout("WalT did not detect traffic going through this switch yet.\n")
                try await requester.stdout("Use 'walt device rescan' to probe again.\n")
                return .none
            }
            try await requester.stdout("WalT currently uses the following ports of \(switchName):\n")
            footer.append("The other switch ports are in their default configuration.")
        }
        let poeDefault: String
        if devices[device.mac]?.poeReboots == true {
            poeDefault = "on"
        } else {
            poeDefault = "unavailable"
            footer.append("PoE status is unavailable because the switch has its \"poe.reboots\" config option disabled "
                          + "(see: walt help show device-config).")
        }
        var text = ""
        for port in ports {
            var line = "\(port): name=\"\(names[port] ?? String(port))\" poe=\(poeOff[port] != nil ? "off" : poeDefault)"
                + " peer=\(peers[port] ?? "unknown")"
            if let reason = poeOff[port] { line += "  # \(reason)" }
            text += line + "\n"
        }
        if !footer.isEmpty { text += footer.joined(separator: "\n") + "\n" }
        try await requester.stdout(text)
        return .none
    }
}
