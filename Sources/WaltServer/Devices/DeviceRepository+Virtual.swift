import WaltCommon
import WaltStore

/// The rows of virtual nodes (upstream `create_vnode_using_image`): no DHCP registers them,
/// the daemon records them before their VM starts.
extension DeviceRepository {
    /// MACs and addresses every device has, to choose a new virtual node's.
    func takenAddresses() async throws -> (macs: Set<String>, ips: [String]) {
        let rows = try await store.query("SELECT mac, ip FROM devices", idempotent: true).rows
        return (Set(rows.compactMap { $0["mac"] }), rows.compactMap { $0["ip"] })
    }

    /// Records a virtual node booting `image` (its `images` row made if missing).
    func addVirtualNode(mac: String, ip: String, name: String, model: String, image: String) async throws {
        try await store.transaction { db in
            try db.query("INSERT INTO images (fullname) VALUES (\(image)) ON CONFLICT DO NOTHING")
            try db.query("""
                INSERT INTO devices (mac, ip, name, type, virtual) VALUES (\(mac), \(ip), \(name), 'node', true)
                """)
            try db.query("INSERT INTO nodes (mac, image, model) VALUES (\(mac), \(image), \(model))")
        }
    }

    /// MACs of the virtual nodes, to start their VMs when the daemon starts.
    func virtualNodeMACs() async throws -> [String] {
        try await store.query("SELECT mac FROM devices WHERE type = 'node' AND virtual ORDER BY name",
                              idempotent: true).rows.compactMap { $0["mac"] }
    }
}
