import WaltStore

extension DeviceRepository {
    static let newNameGuidelines = """
        Failed: invalid new name.
        This name must be a valid network hostname.
        Only alphanumeric characters and '-' are allowed.
        The 1st character must be an alphabet letter.
        The name must be at least 2-chars long.
        (Example: rpi-D327)

        """

    public func rename(mac: String, to name: String) async throws {
        try await store.query("UPDATE devices SET name = \(name) WHERE mac = \(mac)")
    }

    /// Upstream's `forget_device`: the device, its logs and every row that refers to it.
    public func forget(mac: String) async throws {
        try await store.transaction { db in
            try db.query(
                """
                UPDATE vpnauth va SET device_label = (
                    SELECT 'forgotten device "' || d.name || '" mac=' || d.mac FROM devices d WHERE d.mac = \(mac))
                FROM vpnnodes vn WHERE va.vpnmac = vn.vpnmac AND vn.mac = \(mac)
                """)
            try db.query("DELETE FROM logs l USING logstreams s WHERE s.issuer_mac = \(mac) AND l.stream_id = s.id")
            try db.query("DELETE FROM logstreams WHERE issuer_mac = \(mac)")
            try db.query("DELETE FROM nodes WHERE mac = \(mac)")
            try db.query("DELETE FROM switchports WHERE mac = \(mac)")
            try db.query("DELETE FROM switches WHERE mac = \(mac)")
            try db.query("DELETE FROM topology WHERE mac1 = \(mac) OR mac2 = \(mac)")
            try db.query("DELETE FROM poeoff WHERE mac = \(mac)")
            try db.query("DELETE FROM vpnnodes WHERE mac = \(mac)")
            try db.query("DELETE FROM devices WHERE mac = \(mac)")
        }
    }

    /// Rows of `walt device show` (upstream's `DEVICES_QUERY`).
    public func showRows(subnet: String) async throws -> [DeviceShow.Row] {
        let result = try await store.query(
            """
            WITH infodev AS (SELECT name, ip, mac,
                CASE WHEN type = 'node' AND virtual THEN 'node (virtual)'
                     WHEN type = 'node' AND mac LIKE '52:54:00:%' THEN 'node (vpn)'
                     WHEN type = 'node' THEN 'node (physical)'
                     ELSE type
                END AS type,
                COALESCE((conf->'netsetup')::int, 0) AS int_netsetup
                FROM devices)
            SELECT name, ip, mac, type,
            CASE WHEN type = 'server' THEN NULL
                 WHEN ip IS NULL THEN NULL
                 WHEN NOT ip::inet << \(subnet)::cidr THEN NULL
                 WHEN int_netsetup = 0 THEN 'LAN'
                 WHEN int_netsetup = 1 THEN 'NAT'
            END AS netsetup
            FROM infodev ORDER BY type, name
            """, idempotent: true)
        return result.rows.map { row in
            DeviceShow.Row(name: row["name"] ?? "", ip: row["ip"], mac: row["mac"] ?? "", type: row["type"] ?? "",
                           netsetup: row["netsetup"])
        }
    }
}
