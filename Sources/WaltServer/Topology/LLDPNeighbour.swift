/// A row of an agent's LLDP-MIB remote table (IEEE 802.1AB): what is plugged on one of its
/// ports, as that neighbour announced itself.
struct LLDPNeighbour: Equatable, Sendable {
    let port: Int
    let mac: String
    let ip: String?
    let sysName: String

    /// lldpRemTable columns, indexed by (lldpRemTimeMark, lldpRemLocalPortNum, lldpRemIndex).
    static let chassisIDSubtype = SNMPObjectID("1.0.8802.1.1.2.1.4.1.1.4")!
    static let chassisID = SNMPObjectID("1.0.8802.1.1.2.1.4.1.1.5")!
    static let sysName = SNMPObjectID("1.0.8802.1.1.2.1.4.1.1.9")!
    /// lldpRemManAddrIfSubtype, indexed by the same three, then the address family
    /// (1: IPv4) and the length-prefixed address.
    static let managementAddress = SNMPObjectID("1.0.8802.1.1.2.1.4.2.1.3")!
    /// The chassis id is a MAC address (the only kind WalT uses, as upstream).
    static let macAddressSubtype: Int64 = 4

    /// The neighbours by local port, from the walks of those four columns. Neighbours
    /// whose chassis id is not a MAC address are left out; the last one per port wins.
    static func table(subtypes: [SNMPVarBind], chassisIDs: [SNMPVarBind], sysNames: [SNMPVarBind],
                      addresses: [SNMPVarBind]) -> [Int: LLDPNeighbour] {
        func byIndex(_ column: SNMPObjectID, _ binds: [SNMPVarBind]) -> [[UInt32]: SNMPValue] {
            var values: [[UInt32]: SNMPValue] = [:]
            for bind in binds {
                if let index = bind.oid.suffix(after: column), index.count == 3 { values[index] = bind.value }
            }
            return values
        }
        let ids = byIndex(chassisID, chassisIDs)
        let names = byIndex(sysName, sysNames)
        var ipByPort: [Int: String] = [:]
        for bind in addresses {
            guard let index = bind.oid.suffix(after: managementAddress), index.count == 9,
                  index[3] == 1, index[4] == 4, index[5...].allSatisfy({ $0 < 256 }) else { continue }
            ipByPort[Int(index[1])] = index[5...].map(String.init).joined(separator: ".")
        }
        var neighbours: [Int: LLDPNeighbour] = [:]
        for (index, subtype) in byIndex(chassisIDSubtype, subtypes).sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            guard subtype.int == macAddressSubtype, let bytes = ids[index]?.bytes, !bytes.isEmpty else { continue }
            let port = Int(index[1])
            neighbours[port] = LLDPNeighbour(port: port, mac: macText(bytes), ip: ipByPort[port],
                                             sysName: names[index]?.text ?? "")
        }
        return neighbours
    }

    /// `aa:bb:cc:dd:ee:ff`, lowercase, as WalT keeps MAC addresses.
    static func macText(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return bytes.map { String(decoding: [digits[Int($0 >> 4)], digits[Int($0 & 15)]], as: UTF8.self) }
            .joined(separator: ":")
    }
}
