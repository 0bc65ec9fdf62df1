import WaltStore

/// A node's own LLDP report (NSAPI `report_lldp_neighbor`): the switch it sees and the label
/// of that switch's port. On an explorable switch the label is resolved to the port number
/// through the switch's LLDP-MIB local port table, or, when no port has that label, by
/// scanning that switch, as upstream; the node's place is then saved and, when new, logged.
struct LLDPReport {
    let daemon: DaemonState

    func locate(node: (mac: String, name: String), switchMAC: String, label: String) async throws {
        let repository = TopologyRepository(store: daemon.store)
        guard let device = try await repository.devices()[switchMAC], device.lldpExplore, let ip = device.ip,
              let agent = SwitchAgent(ip: ip, snmpVersion: device.snmpVersion, community: device.snmpCommunity) else { return }
        let now = ServerClock.now()
        let port: Int
        if let labelled = try await BlockingThread.run(name: "lldp labels \(device.name)", { try agent.port(labelled: label) }) {
            port = labelled
            guard try await repository.updateNodeLocation(nodeMAC: node.mac, switchMAC: switchMAC, port: port, at: now) else {
                return
            }
        } else {
            let switches = try await DeviceQueries(daemon: daemon).info(macs: [switchMAC])
            let topology = try await TopologyScan(daemon: daemon, requester: nil).run(switches)
            guard let place = topology.locate(node.mac), place.neighbour == switchMAC, place.confirmed,
                  let found = place.port else { return }
            port = found
        }
        let portName = try await repository.portNames(switchMAC: switchMAC)[switchMAC]?[port] ?? String(port)
        await daemon.platformLog.log("devices", "Node \(node.name) is now connected on \(device.name) port \(portName)")
    }
}
