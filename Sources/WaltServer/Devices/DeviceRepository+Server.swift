import WaltStore

extension DeviceRepository {
    /// Upstream's `fix_server_device_entry`: the server's own row (`walt-server`, type
    /// `server`), and no other row claiming its address, its name or the server type
    /// (their logs and links are deleted with them).
    public func fixServerEntry(_ server: ServerIdentity) async throws {
        try await store.transaction { db in
            try db.query(
                """
                INSERT INTO devices (mac, ip, name, type) VALUES (\(server.mac), \(server.ip), 'walt-server', 'server')
                ON CONFLICT (mac) DO UPDATE SET ip = EXCLUDED.ip, name = 'walt-server', type = 'server'
                """)
            let wrong = try db.query(
                """
                SELECT mac FROM devices WHERE mac != \(server.mac)
                AND (ip = \(server.ip) OR type = 'server' OR name = 'walt-server')
                """)
            for row in wrong.rows {
                guard let mac = row["mac"] else { continue }
                try db.query("DELETE FROM logs l USING logstreams s WHERE s.issuer_mac = \(mac) AND l.stream_id = s.id")
                try db.query("DELETE FROM logstreams WHERE issuer_mac = \(mac)")
                try db.query("DELETE FROM topology WHERE mac1 = \(mac) OR mac2 = \(mac)")
                try db.query("DELETE FROM poeoff WHERE mac = \(mac)")
                try db.query("DELETE FROM devices WHERE mac = \(mac)")
            }
        }
    }
}

extension DeviceRepository.Registration {
    /// The `platform.devices` lines upstream logs for this registration.
    func platformLines(mac: String, ip: String?) -> [String] {
        func line(_ name: String, _ type: String, _ model: String?, identified: Bool) -> String {
            let kind = type == "node" || type == "switch" ? type : "device"
            let details = type == "node" ? " model=\(model ?? "unknown")" : type == "switch" ? "" : " type=\(type)"
            let note = identified ? " (device type previously unknown)" : ""
            return "new \(kind)\(note) name=\(name)\(details) mac=\(mac) ip=\(ip ?? "None")"
        }
        switch self {
        case .added(let name, let type, let model):
            return [line(name, type, model, identified: false)]
        case .identified(let name, let type, let model, let renamedFrom):
            let renamed = renamedFrom.map { ["renamed \($0) to \(name) for clarity"] } ?? []
            return renamed + [line(name, type, model, identified: true)]
        case .ipUpdated, .unchanged:
            return []
        }
    }
}

extension DeviceRepository {
    /// The node registered with address `ip`, if any.
    public func node(ip: String) async throws -> (mac: String, name: String)? {
        let result = try await store.query(
            "SELECT d.mac, d.name FROM devices d, nodes n WHERE d.ip = \(ip) AND d.mac = n.mac LIMIT 1", idempotent: true)
        guard let row = result.first, let mac = row["mac"] else { return nil }
        return (mac, row["name"] ?? "")
    }

    /// A device's name, type and whether LLDP exploration is enabled on it, by MAC.
    public func device(mac: String) async throws -> (name: String, type: String, lldpExplore: Bool)? {
        let result = try await store.query(
            "SELECT name, type, COALESCE((conf->>'lldp.explore')::boolean, false) AS explore FROM devices WHERE mac = \(mac)",
            idempotent: true)
        guard let row = result.first else { return nil }
        return (row["name"] ?? "", row["type"] ?? "unknown", row["explore"] == "t")
    }
}
