/// `walt device show`: the known devices, then those of unknown type, with upstream's
/// titles, tips, column set and order (`DEVICES_QUERY`, then `np_columnate`).
public enum DeviceShow {
    public struct Row: Sendable, Equatable {
        public var name: String
        public var ip: String?
        public var mac: String
        /// `server`, `switch`, `unknown`, `node (physical)`, `node (virtual)`, `node (vpn)`.
        public var type: String
        public var netsetup: String?

        public init(name: String, ip: String?, mac: String, type: String, netsetup: String?) {
            self.name = name
            self.ip = ip
            self.mac = mac
            self.type = type
            self.netsetup = netsetup
        }
    }

    static let header = ["name", "ip", "mac", "type", "netsetup"]
    static let titleMain = "The WalT network contains the following devices:"
    static let footnoteMain = """
        tips:
        - use 'walt device tree' for a tree view of the network
        - use 'walt device forget <device_name>' to make WalT forget about an obsolete device
        """
    static let titleUnknown = "WalT also detected the following devices but could not detect their type:"
    static let footnoteUnknown = "If one of them is actually a switch, use 'walt device config <name> type=switch' to fix this."

    /// - Parameter rows: sorted by type, then name (the query's order).
    public static func render(_ rows: [Row]) -> String {
        let known = rows.filter { $0.type != "unknown" }
        let unknown = rows.filter { $0.type == "unknown" }
        func table(_ rows: [Row]) -> String {
            Columnate.table(header: header, rows: rows.map { [$0.name, $0.ip, $0.mac, $0.type, $0.netsetup] })
        }
        var text = Columnate.paragraph(title: titleMain, content: table(known), footnote: footnoteMain)
        if !unknown.isEmpty {
            text += Columnate.paragraph(title: titleUnknown, content: table(unknown), footnote: footnoteUnknown)
        }
        return text
    }
}
