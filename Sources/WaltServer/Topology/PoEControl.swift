import WaltCommon
import WaltStore

/// Node power through the PoE of their switch port (upstream's PoEManager and walt-set-poe):
/// where a node is plugged, turning ports off and on over SNMP, and the `poeoff` table that
/// remembers the ports WalT turned off (so they come back on at start and before a scan).
struct PoEControl {
    let daemon: DaemonState

    /// The switch port powering a node.
    struct Outlet: Sendable {
        /// The node's MAC; when ports are restored, whose nodes are not looked up, the
        /// port itself (`<switch mac>|<port>`). Failures are reported under it.
        let mac: String
        let name: String
        let switchMAC: String
        let switchName: String
        let port: Int
        let agent: SwitchAgent
    }

    /// Each node's outlet, or upstream's reason why it cannot be power-cycled.
    func outlets(_ nodes: [DeviceInfo]) async throws -> [String: Result<Outlet, PoEFailure>] {
        let repository = TopologyRepository(store: daemon.store)
        let topology = try await repository.load()
        let devices = try await repository.devices()
        var result: [String: Result<Outlet, PoEFailure>] = [:]
        for node in nodes {
            guard let place = topology.locate(node.mac), let device = devices[place.neighbour],
                  device.type == "switch", let ip = device.ip, let port = place.port else {
                result[node.mac] = .failure(PoEFailure("unknown LLDP network position"))
                continue
            }
            guard device.poeReboots else {
                result[node.mac] = .failure(PoEFailure("forbidden on switch"))
                continue
            }
            guard let agent = SwitchAgent(ip: ip, snmpVersion: device.snmpVersion, community: device.snmpCommunity) else {
                result[node.mac] = .failure(PoEFailure("SNMP issue"))
                continue
            }
            result[node.mac] = .success(Outlet(mac: node.mac, name: node.name, switchMAC: device.mac,
                                               switchName: device.name, port: port, agent: agent))
        }
        return result
    }

    /// Turns the outlets on or off (in parallel), records the ports turned off with
    /// `reason`, and returns the failures by node MAC.
    func set(_ outlets: [Outlet], on: Bool, reason: String) async throws -> [String: PoEFailure] {
        let outcomes = await withTaskGroup(of: (Outlet, PoEFailure?).self) { group in
            for outlet in outlets {
                group.addTask {
                    do {
                        try await BlockingThread.run(name: "poe \(outlet.switchName) \(outlet.port)") {
                            try outlet.agent.setPoE(port: outlet.port, on: on)
                        }
                        return (outlet, nil)
                    } catch let error as SwitchAgent.PoEError {
                        return (outlet, PoEFailure(error.description))
                    } catch {
                        return (outlet, PoEFailure("SNMP issue"))
                    }
                }
            }
            var outcomes: [(Outlet, PoEFailure?)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let done = outcomes.filter { $0.1 == nil }.map(\.0)
        try await record(done.map { ($0.switchMAC, $0.port) }, on: on, reason: reason)
        var failures: [String: PoEFailure] = [:]
        for case let (outlet, failure?) in outcomes {
            daemon.logger.info("PoE \(on ? "on" : "off") failed on \(outlet.switchName) port \(outlet.port): \(failure.message)")
            failures[outlet.mac] = failure
        }
        return failures
    }

    private func record(_ ports: [(switchMAC: String, port: Int)], on: Bool, reason: String) async throws {
        guard !ports.isEmpty else { return }
        try await daemon.store.transaction { db in
            for (mac, port) in ports {
                try db.query("DELETE FROM poeoff WHERE mac = \(mac) AND port = \(port)")
                if !on { try db.query("INSERT INTO poeoff (mac, port, reason) VALUES (\(mac), \(port), \(reason))") }
            }
        }
    }

    /// Ports of a switch that WalT turned off, with the reason.
    func portsOff(switchMAC: String) async throws -> [Int: String] {
        var ports: [Int: String] = [:]
        for row in try await daemon.store.query("SELECT port, reason FROM poeoff WHERE mac = \(switchMAC)").rows {
            if let port = row["port"].flatMap({ Int($0) }) { ports[port] = row["reason"] ?? "" }
        }
        return ports
    }

    /// Nodes whose switch port WalT turned off (a soft reboot cannot reach them).
    func nodesOff() async throws -> Set<String> {
        let topology = try await TopologyRepository(store: daemon.store).load()
        let off = Set(try await daemon.store.query("SELECT mac, port FROM poeoff").rows.compactMap { row -> String? in
            guard let mac = row["mac"], let port = row["port"] else { return nil }
            return "\(mac)|\(port)"
        })
        var macs: Set<String> = []
        for (pair, link) in topology.links {
            if let port = link.port1, off.contains("\(pair.mac1)|\(port)") { macs.insert(pair.mac2) }
            if let port = link.port2, off.contains("\(pair.mac2)|\(port)") { macs.insert(pair.mac1) }
        }
        return macs
    }

    static let rescanWarning = """
        NOTE: WALT previously turned off PoE on some switch ports for automatic powersaving.
        NOTE: This command will re-enable PoE on these ports.
        NOTE: However, devices connected there may not be re-detected before a little time.
        NOTE: Re-running a scan in 10 minutes may give better results.

        """

    /// Powers back every port WalT turned off (of `switches`, or of all switches at start).
    func restore(switches: Set<String>? = nil, requester: (any Requester)? = nil) async throws {
        let devices = try await TopologyRepository(store: daemon.store).devices()
        var outlets: [Outlet] = []
        for row in try await daemon.store.query("SELECT mac, port FROM poeoff ORDER BY mac, port").rows {
            guard let mac = row["mac"], let port = row["port"].flatMap({ Int($0) }),
                  switches?.contains(mac) ?? true, let device = devices[mac], let ip = device.ip,
                  let agent = SwitchAgent(ip: ip, snmpVersion: device.snmpVersion, community: device.snmpCommunity)
            else { continue }
            outlets.append(Outlet(mac: "\(mac)|\(port)", name: "\(device.name) port \(port)", switchMAC: mac,
                                  switchName: device.name, port: port, agent: agent))
        }
        guard !outlets.isEmpty else { return }
        try await requester?.stderr(Self.rescanWarning)
        for (port, failure) in try await set(outlets, on: true, reason: "") {
            daemon.logger.warning("could not restore PoE on \(port): \(failure.message)")
        }
    }
}

/// Why a node's port could not be power-cycled, in upstream's words.
struct PoEFailure: Error, Equatable, Sendable {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
