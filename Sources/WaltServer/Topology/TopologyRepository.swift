import WaltCommon
import WaltStore

/// The `topology`, `switchports` and `poeoff` tables, and what the scan and the tree read
/// of the devices.
struct TopologyRepository: Sendable {
    let store: PostgresStore

    /// A device as the topology code sees it.
    struct Device: Sendable {
        let mac: String
        let name: String
        let type: String
        let ip: String?
        /// Switch settings (`devices.conf`).
        let lldpExplore: Bool
        let poeReboots: Bool
        let snmpVersion: Int?
        let snmpCommunity: String?
    }

    func devices() async throws -> [String: Device] {
        let rows = try await store.query(
            """
            SELECT mac, name, type, ip,
                   COALESCE((conf->>'lldp.explore')::boolean, false) AS lldp_explore,
                   COALESCE((conf->>'poe.reboots')::boolean, false) AS poe_reboots,
                   conf->>'snmp.version' AS snmp_version, conf->>'snmp.community' AS snmp_community
            FROM devices
            """)
        var devices: [String: Device] = [:]
        for row in rows.rows {
            guard let mac = row["mac"] else { continue }
            devices[mac] = Device(mac: mac, name: row["name"] ?? "", type: row["type"] ?? "unknown", ip: row["ip"],
                                  lldpExplore: row["lldp_explore"] == "t", poeReboots: row["poe_reboots"] == "t",
                                  snmpVersion: row["snmp_version"].flatMap { Int($0) },
                                  snmpCommunity: row["snmp_community"])
        }
        return devices
    }

    func load() async throws -> LinkTopology {
        let rows = try await store.query(
            """
            SELECT mac1, mac2, port1, port2, COALESCE(confirmed, false) AS confirmed,
                   COALESCE(EXTRACT(EPOCH FROM last_seen)::float8, 0) AS last_seen
            FROM topology
            """)
        var topology = LinkTopology()
        for row in rows.rows {
            guard let mac1 = row["mac1"], let mac2 = row["mac2"] else { continue }
            topology.links[MACPair(mac1, mac2)] = TopologyLink(
                port1: row["port1"].flatMap { Int($0) }, port2: row["port2"].flatMap { Int($0) },
                confirmed: row["confirmed"] == "t", lastSeen: row["last_seen"].flatMap { Double($0) } ?? 0)
        }
        return topology
    }

    /// Replaces the table with `topology`, in one transaction (a failed save keeps the old
    /// view whole).
    func save(_ topology: LinkTopology) async throws {
        try await store.transaction { db in
            try db.query("DELETE FROM topology")
            for (pair, link) in topology.sortedLinks {
                try db.query(
                    """
                    INSERT INTO topology (mac1, mac2, port1, port2, confirmed, last_seen)
                    VALUES (\(pair.mac1), \(pair.mac2), \(link.port1), \(link.port2), \(link.confirmed),
                            to_timestamp(\(link.lastSeen)))
                    """)
            }
        }
    }

    func nodeMACs() async throws -> Set<String> {
        Set(try await store.query("SELECT mac FROM nodes").rows.compactMap { $0["mac"] })
    }

    /// Names given to switch ports (`walt device port-config`).
    func portNames(switchMAC: String? = nil) async throws -> [String: [Int: String]] {
        let rows = switchMAC == nil
            ? try await store.query("SELECT mac, port, name FROM switchports")
            : try await store.query("SELECT mac, port, name FROM switchports WHERE mac = \(switchMAC)")
        var names: [String: [Int: String]] = [:]
        for row in rows.rows {
            guard let mac = row["mac"], let port = row["port"].flatMap({ Int($0) }), let name = row["name"] else { continue }
            names[mac, default: [:]][port] = name
        }
        return names
    }

    func setPortName(switchMAC: String, port: Int, name: String?) async throws {
        try await store.transaction { db in
            try db.query("DELETE FROM switchports WHERE mac = \(switchMAC) AND port = \(port)")
            if let name {
                try db.query("INSERT INTO switchports (mac, port, name) VALUES (\(switchMAC), \(port), \(name))")
            }
        }
    }
}

extension TopologyRepository {
    /// A node reported where it is plugged (upstream's update_node_location): true when that
    /// is news, false when the saved view already said so (the link is then confirmed).
    func updateNodeLocation(nodeMAC: String, switchMAC: String, port: Int, at now: Double) async throws -> Bool {
        try await store.transaction { db in
            let places = try db.query(
                """
                SELECT mac2 AS sw_mac, port2 AS sw_port FROM topology WHERE mac1 = \(nodeMAC)
                UNION ALL
                SELECT mac1 AS sw_mac, port1 AS sw_port FROM topology WHERE mac2 = \(nodeMAC)
                """).rows
            let pair = MACPair(nodeMAC, switchMAC)
            if places.count == 1, places[0]["sw_mac"] == switchMAC, places[0]["sw_port"] == String(port) {
                try db.query("UPDATE topology SET confirmed = true WHERE mac1 = \(pair.mac1) AND mac2 = \(pair.mac2)")
                return false
            }
            try db.query("DELETE FROM topology WHERE mac1 = \(nodeMAC) OR mac2 = \(nodeMAC)")
            try db.query("DELETE FROM topology WHERE (mac1 = \(switchMAC) AND port1 = \(port)) OR (mac2 = \(switchMAC) AND port2 = \(port))")
            let (port1, port2): (Int?, Int?) = pair.mac1 == switchMAC ? (port, nil) : (nil, port)
            try db.query(
                """
                INSERT INTO topology (mac1, mac2, port1, port2, confirmed, last_seen)
                VALUES (\(pair.mac1), \(pair.mac2), \(port1), \(port2), true, to_timestamp(\(now)))
                """)
            return true
        }
    }
}
