import WaltCommon
import WaltStore

/// `walt device rescan`: asks the LLDP agents of the server and of the switches it may
/// explore who is plugged on each of their ports, records new devices, and merges what it
/// saw with the saved view (upstream's TopologyManager.rescan). Progress lines go to the
/// client as upstream words them.
struct TopologyScan {
    let daemon: DaemonState
    let requester: (any Requester)?

    func run(_ devices: [DeviceInfo]) async throws -> LinkTopology {
        await daemon.topology.scans.acquire()
        do {
            let result = try await scan(devices)
            await daemon.topology.scans.release()
            return result
        } catch {
            await daemon.topology.scans.release()
            throw error
        }
    }

    private func scan(_ devices: [DeviceInfo]) async throws -> LinkTopology {
        let now = ServerClock.now()
        daemon.topology.scanStarted(at: now)
        let repository = TopologyRepository(store: daemon.store)
        let known = try await repository.devices()
        var seen = LinkTopology()
        var bridge = BridgeTopology()
        for device in devices {
            let label = device.type == "server" ? "walt server" : device.name
            let agent: SwitchAgent
            switch device.type {
            case "server":
                guard let ip = daemon.server.ip else {
                    try await say("Querying \(pad(label)) FAILED (unknown management IP!)")
                    continue
                }
                agent = .server(ip: ip)
            case "switch":
                let settings = known[device.mac]
                guard settings?.lldpExplore == true else {
                    try await say("Querying \(pad(label)) FORBIDDEN (see: walt help show device-config)")
                    continue
                }
                guard let ip = device.ip else {
                    try await say("Querying \(pad(label)) FAILED (unknown management IP!)")
                    continue
                }
                guard let switchAgent = SwitchAgent(ip: ip, snmpVersion: settings?.snmpVersion,
                                                    community: settings?.snmpCommunity) else {
                    try await say("Querying \(pad(label)) FAILED (LLDP SNMP issue)")
                    continue
                }
                agent = switchAgent
            default:
                try await say("Querying \(pad(label)) INVALID (can only scan switches or the server)")
                continue
            }
            daemon.logger.info("topology: querying \(label)")
            var lldpFailed = false
            do {
                let neighbours = try await BlockingThread.run(name: "lldp \(label)") { try agent.lldpNeighbours() }
                for neighbour in neighbours.values.sorted(by: { $0.port < $1.port }) {
                    try await record(neighbour, on: device.mac, label: label, into: &seen, at: now)
                }
            } catch {
                daemon.logger.info("topology: \(label): LLDP: \(error)")
                lldpFailed = true
            }
            // Switches' forwarding tables too (not the server's: it has none).
            var bridgeFailed = false
            if device.type == "switch" {
                do {
                    let table = try await BlockingThread.run(name: "bridge \(label)") { try agent.bridgeTable() }
                    bridge.registerSecondaryMACs(of: device.mac, table.ownMACs)
                    for (port, macs) in table.macsPerPort.sorted(by: { $0.key < $1.key }) {
                        daemon.logger.info("topology: bridge: found on \(label) \(device.mac) -- port \(port): \(macs.sorted().joined(separator: ", "))")
                        for mac in macs { bridge.registerNeighbour(device.mac, port: port, neighbour: mac) }
                    }
                } catch {
                    daemon.logger.info("topology: \(label): bridge table: \(error)")
                    bridgeFailed = true
                }
            }
            try await say("Querying \(pad(label)) " + Self.outcome(lldpFailed: lldpFailed, bridgeFailed: bridgeFailed,
                                                                  bridgeQueried: device.type == "switch"))
        }
        // Upstream's merge: bridge data helped by confirmed LLDP links, LLDP data first.
        bridge.addConfirmed(seen)
        var deduced = bridge.deduceLinks(types: try await repository.devices().mapValues(\.type), at: now)
        deduced.setConfirmAll(false)
        seen.merge(deduced)
        seen.setConfirmAll(true)
        var merged = seen
        var saved = try await repository.load()
        saved.unconfirm(Set(devices.map(\.mac)))
        merged.merge(saved)
        merged.cleanup(nodes: try await repository.nodeMACs())
        try await repository.save(merged)
        return merged
    }

    /// One LLDP row: the link, and the neighbour as a device (new ones are added, as DHCP
    /// would add them; a known one may get its address).
    private func record(_ neighbour: LLDPNeighbour, on hostMAC: String, label: String, into seen: inout LinkTopology,
                        at now: Double) async throws {
        // The server's chassis MAC is that of its physical interface, not walt-net's (the
        // MAC it has in the database); its announced address tells it apart.
        let serverMAC = daemon.server.mac
        let mac = neighbour.ip != nil && neighbour.ip == daemon.server.ip ? serverMAC : neighbour.mac
        daemon.logger.info("topology: lldp: found on \(label) \(hostMAC) -- port \(neighbour.port): \(neighbour.ip ?? "None") \(mac) \(neighbour.sysName)")
        // An agent that hears itself (two interfaces of the server on one bridge).
        guard mac != hostMAC else { return }
        if mac != serverMAC {
            let outcome = try await DeviceRepository(store: daemon.store).register(
                vci: "", uci: "", ip: neighbour.ip, mac: mac, name: neighbour.sysName.lowercased(),
                waltNet: daemon.config.waltNetAddress)
            for line in outcome.platformLines(mac: mac, ip: neighbour.ip) {
                await daemon.platformLog.log("devices", line)
            }
        }
        seen.registerNeighbour(hostMAC, port: neighbour.port, neighbour: mac, at: now)
    }

    /// Upstream's words for what a query of the LLDP table (and, on a switch, of the
    /// forwarding table) gave.
    static func outcome(lldpFailed: Bool, bridgeFailed: Bool, bridgeQueried: Bool) -> String {
        guard bridgeQueried else { return lldpFailed ? "FAILED (LLDP SNMP issue)" : "OK" }
        switch (lldpFailed, bridgeFailed) {
        case (false, false): return "OK"
        case (false, true): return "OK (LLDP-only data)"
        case (true, false): return "OK (BRIDGE-only data)"
        case (true, true): return "FAILED (LLDP and BRIDGE SNMP issues)"
        }
    }

    private func pad(_ label: String) -> String {
        label.count >= 25 ? label : label + String(repeating: " ", count: 25 - label.count)
    }

    private func say(_ line: String) async throws {
        daemon.logger.info("topology: \(line)")
        try await requester?.stdout(line + "\n")
    }
}
