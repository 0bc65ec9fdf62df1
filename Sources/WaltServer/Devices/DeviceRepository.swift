import WaltCommon
import WaltStore

/// Devices and nodes in PostgreSQL: registration from DHCP and the node table queries.
public struct DeviceRepository: Sendable {
    let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    /// What registration did, for the daemon's platform log.
    public enum Registration: Equatable, Sendable {
        case added(name: String, type: String, model: String?)
        case identified(name: String, type: String, model: String?, renamedFrom: String?)
        case ipUpdated(name: String)
        case unchanged
    }

    /// Records a device seen by DHCP (SSAPI `register_device`), with upstream's rules: a
    /// `walt.node.<model>` class makes it a node booting its model's default image; a
    /// known switch vendor's MAC makes it a switch; a meaningful free host-name is kept,
    /// otherwise a `<type>-<mac suffix>` name is made. A known device's address changes
    /// only if it had none or if the new one is in walt-net and the old one was not.
    public func register(vci: String, uci: String, ip: String?, mac: String, name: String?,
                         waltNet: IPv4Network) async throws -> Registration {
        let switchProbe = DeviceIdentity.probeSwitch(mac: mac)
        let model = DeviceIdentity.nodeModel(vci: vci, uci: uci) ?? switchProbe?.model
        let type = DeviceIdentity.nodeModel(vci: vci, uci: uci) != nil ? "node" : switchProbe?.type ?? "unknown"
        let suggested = name.map(DeviceIdentity.cleanName).flatMap { DeviceIdentity.isValidName($0) ? $0 : nil }
        return try await store.transaction { db in
            let existing = try db.query("SELECT name, type, ip FROM devices WHERE mac = \(mac) FOR UPDATE")
            if let row = existing.first {
                let currentName = row["name"] ?? ""
                var result = Registration.unchanged
                if row["type"] == "unknown" && type != "unknown" {
                    result = try Self.identify(db, mac: mac, currentName: currentName, type: type, model: model)
                }
                if let ip, row["ip"] == nil || (!waltNet.contains(row["ip"]!) && waltNet.contains(ip)) {
                    try db.query("UPDATE devices SET ip = \(ip) WHERE mac = \(mac)")
                    if result == .unchanged { result = .ipUpdated(name: currentName) }
                }
                return result
            }
            let newName = try Self.freeName(db, suggested: suggested, type: type, mac: mac)
            try db.query("INSERT INTO devices (mac, ip, name, type) VALUES (\(mac), \(ip), \(newName), \(type))")
            try Self.insertTypeRow(db, type: type, mac: mac, model: model)
            return .added(name: newName, type: type, model: model)
        }
    }

    /// Turns a device of unknown type into a `switch` (a node reported it as its LLDP
    /// neighbour, or an admin said so); nil if it is not an unknown device. Returns what
    /// changed and the device's address, for the platform log.
    public func identifyAsSwitch(mac: String) async throws -> (Registration, ip: String?)? {
        try await store.transaction { db in
            guard let row = try db.query("SELECT name, type, ip FROM devices WHERE mac = \(mac) FOR UPDATE").first,
                  row["type"] == "unknown" else { return nil }
            let result = try Self.identify(db, mac: mac, currentName: row["name"] ?? "", type: "switch",
                                           model: DeviceIdentity.probeSwitch(mac: mac)?.model)
            return (result, row["ip"])
        }
    }

    /// Gives an unknown device its type (and its `nodes`/`switches` row); a name still
    /// saying "unknown" is replaced by one for the new type, as upstream.
    private static func identify(_ db: PGConnection, mac: String, currentName: String, type: String,
                                 model: String?) throws -> Registration {
        var newName: String?
        if currentName.contains("unknown") {
            newName = try freeName(db, suggested: nil, type: type, mac: mac)
            try db.query("UPDATE devices SET name = \(newName) WHERE mac = \(mac)")
        }
        try db.query("UPDATE devices SET type = \(type) WHERE mac = \(mac)")
        try insertTypeRow(db, type: type, mac: mac, model: model)
        return .identified(name: newName ?? currentName, type: type, model: model,
                           renamedFrom: newName == nil ? nil : currentName)
    }

    /// The `nodes` or `switches` row a device of that type needs.
    private static func insertTypeRow(_ db: PGConnection, type: String, mac: String, model: String?) throws {
        let model = model ?? "unknown"
        if type == "switch" {
            // switches.mac has no unique index upstream (nor here, to keep the schema).
            try db.query("""
                INSERT INTO switches (mac, model) SELECT \(mac), \(model)
                WHERE NOT EXISTS (SELECT 1 FROM switches WHERE mac = \(mac))
                """)
            return
        }
        guard type == "node" else { return }
        let image = DeviceIdentity.defaultImage(model: model)
        try db.query("INSERT INTO images (fullname) VALUES (\(image)) ON CONFLICT DO NOTHING")
        try db.query("INSERT INTO nodes (mac, image, model) VALUES (\(mac), \(image), \(model))")
    }

    /// The suggested name if nobody has it, else `<type>-<mac suffix>[-N]`.
    private static func freeName(_ db: PGConnection, suggested: String?, type: String, mac: String) throws -> String {
        if let suggested, try db.query("SELECT 1 FROM devices WHERE name = \(suggested)").isEmpty {
            return suggested
        }
        let prefix = DeviceIdentity.generatedNamePrefix(type: type, mac: mac)
        var index = 1
        while true {
            let candidate = index == 1 ? prefix : "\(prefix)-\(index)"
            if try db.query("SELECT 1 FROM devices WHERE name = \(candidate)").isEmpty { return candidate }
            index += 1
        }
    }

    /// Nodes as `show_nodes` lists them, sorted by image owner then name. A node is in
    /// powersave when PoE is off for powersave on the switch port its topology row links it
    /// to, on either side of the row: one equality join per side, which PostgreSQL hashes,
    /// where an OR of both made it compare every node with every link and PoE row.
    public func nodeShowRows() async throws -> [NodeShow.Row] {
        let result = try await store.query(
            """
            SELECT d.name, n.model, split_part(n.image, '/', 1) AS image_owner,
                split_part(n.image, '/', 2) AS image_name, d.virtual, d.mac, d.ip,
                COALESCE((d.conf->'netsetup')::int, 0) AS netsetup,
                n.mac IN (
                    SELECT t.mac1 FROM topology t JOIN poeoff po ON po.mac = t.mac2 AND po.port = t.port2
                    WHERE po.reason = 'powersave'
                    UNION ALL
                    SELECT t.mac2 FROM topology t JOIN poeoff po ON po.mac = t.mac1 AND po.port = t.port1
                    WHERE po.reason = 'powersave') AS powersave
            FROM devices d JOIN nodes n ON d.mac = n.mac
            WHERE d.type = 'node'
            ORDER BY image_owner, name
            """, idempotent: true, prepared: true)
        return result.rows.map { row in
            NodeShow.Row(
                name: row["name"] ?? "", model: row["model"] ?? "", imageOwner: row["image_owner"] ?? "",
                imageName: row["image_name"] ?? "", virtual: row["virtual"] == "t", mac: row["mac"] ?? "",
                ip: row["ip"], netsetup: Int(row["netsetup"] ?? "0") ?? 0, powersave: row["powersave"] == "t")
        }
    }
}
