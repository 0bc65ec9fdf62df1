import WaltCommon
import WaltStore

/// Device lookups shared by the device and node APIs (upstream's
/// `get_multiple_device_info` and the device-set keyword queries).
public struct DeviceQueries: Sendable {
    let daemon: DaemonState

    public init(daemon: DaemonState) {
        self.daemon = daemon
    }

    var store: PostgresStore { daemon.store }

    /// Devices with these MACs, sorted by name.
    public func info(macs: [String]) async throws -> [DeviceInfo] {
        try await info(where: "d.mac = ANY(\(array: macs)::text[])")
    }

    public func info(name: String) async throws -> DeviceInfo? {
        try await info(where: "d.name = \(name)").first
    }

    public func info(ip: String) async throws -> DeviceInfo? {
        try await info(where: "d.ip = \(ip)").first
    }

    func info(where condition: SQL) async throws -> [DeviceInfo] {
        let subnet = daemon.waltSubnet
        let result = try await store.query(
            """
            SELECT d.mac, d.ip, d.name, d.type, d.virtual, n.image, COALESCE(n.model, s.model) AS model,
                COALESCE((d.conf->'netsetup')::int, 0) AS netsetup,
                d.ip::inet << \(subnet)::cidr AS in_walt_net
            FROM devices d
            LEFT JOIN nodes n ON d.mac = n.mac
            LEFT JOIN switches s ON d.mac = s.mac
            WHERE \(condition)
            ORDER BY d.name
            """, idempotent: true)
        let macs = result.rows.compactMap { $0["mac"] }
        let confRows = try await store.query(
            """
            SELECT d.mac, e.key, jsonb_typeof(e.value) AS t, e.value #>> '{}' AS v
            FROM devices d, jsonb_each(COALESCE(d.conf, '{}'::jsonb)) e WHERE d.mac = ANY(\(array: macs)::text[])
            ORDER BY d.mac, e.key
            """, idempotent: true)
        var conf: [String: [(key: PyValue, value: PyValue)]] = [:]
        for row in confRows.rows {
            guard let mac = row["mac"], let key = row["key"] else { continue }
            conf[mac, default: []].append((.str(key), DeviceInfo.confValue(type: row["t"], text: row["v"])))
        }
        return DeviceInfo.decode(result.rows, conf: conf, booted: daemon.booted, server: daemon.server,
                                 netmask: daemon.waltNetmask)
    }

    /// MACs for one device-set keyword (server.md §4.9), or nil when it is a name.
    func keywordMACs(_ keyword: String, username: String) async throws -> [String]? {
        let sql: SQL
        switch keyword {
        case "my-nodes":
            sql = """
                SELECT d.mac FROM devices d, nodes n
                WHERE d.mac = n.mac AND split_part(n.image, '/', 1) = \(username) ORDER BY name
                """
        case "all-nodes":
            sql = "SELECT d.mac FROM devices d, nodes n WHERE d.mac = n.mac ORDER BY d.name"
        case "free-nodes":
            sql = """
                SELECT d.mac FROM devices d, nodes n
                WHERE d.mac = n.mac AND n.image = ('waltplatform/' || n.model || '-default:latest') ORDER BY name
                """
        case "all-switches":
            sql = "SELECT d.mac FROM devices d WHERE d.type = 'switch' ORDER BY name"
        case "all-devices":
            sql = "SELECT d.mac FROM devices d ORDER BY type, name"
        case "explorable-switches":
            sql = """
                SELECT d.mac FROM devices d WHERE d.type = 'switch'
                AND COALESCE((d.conf->'lldp.explore')::boolean, False) = True ORDER BY d.name
                """
        default:
            return nil
        }
        return try await store.query(sql, idempotent: true).rows.compactMap { $0["mac"] }
    }
}
