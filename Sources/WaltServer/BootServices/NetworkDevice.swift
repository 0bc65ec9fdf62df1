import WaltStore

/// A device with an address in walt-net, as the generated service configurations need it
/// (dhcpd host entries, DNS records, the TFTP tree, persist exports).
public struct NetworkDevice: Sendable, Equatable {
    public var mac: String
    public var ip: String
    public var name: String
    /// `server`, `node`, `switch` or `unknown`.
    public var type: String
    /// 0: LAN, 1: NAT (the node gets the server as its default route).
    public var netsetup: Int
    public var model: String?
    /// The node's image (`owner/name:tag`).
    public var image: String?
    /// The node mounts its persistent directory (`mount.persist`, true unless set false).
    public var persist: Bool
    /// The node's VPN MAC, for nodes booting through the VPN.
    public var vpnMAC: String?

    public init(mac: String, ip: String, name: String, type: String, netsetup: Int = 0, model: String? = nil,
                image: String? = nil, persist: Bool = true, vpnMAC: String? = nil) {
        self.mac = mac
        self.ip = ip
        self.name = name
        self.type = type
        self.netsetup = netsetup
        self.model = model
        self.image = image
        self.persist = persist
        self.vpnMAC = vpnMAC
    }

    /// Image owner: the part of the image name before the slash (`waltplatform` for the
    /// default images), whose persistent directory the node mounts.
    public var imageOwner: String? {
        image.map { String($0.split(separator: "/", maxSplits: 1).first ?? "") }
    }

    /// Every device with an address in `subnet` (the server included), ordered by MAC.
    static func load(_ store: PostgresStore, subnet: String) async throws -> [NetworkDevice] {
        let result = try await store.query("""
            SELECT d.mac, d.ip, d.name, d.type, n.model, n.image, vn.vpnmac,
                   COALESCE((d.conf->'netsetup')::int, 0) AS netsetup,
                   COALESCE((d.conf->'mount.persist')::bool, true) AS persist
            FROM devices d
            LEFT JOIN nodes n ON d.mac = n.mac
            LEFT JOIN vpnnodes vn ON d.mac = vn.mac
            WHERE d.ip IS NOT NULL AND d.ip::inet << \(subnet)::cidr
            ORDER BY d.mac
            """, idempotent: true)
        return result.rows.map { row in
            NetworkDevice(mac: row["mac"] ?? "", ip: row["ip"] ?? "", name: row["name"] ?? "",
                          type: row["type"] ?? "unknown", netsetup: Int(row["netsetup"] ?? "0") ?? 0,
                          model: row["model"], image: row["image"], persist: row["persist"] != "f",
                          vpnMAC: row["vpnmac"])
        }
    }
}
