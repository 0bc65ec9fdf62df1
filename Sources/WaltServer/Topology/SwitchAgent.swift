/// The SNMP agent of a switch (or of the server itself): its LLDP neighbours, and the PoE of
/// its ports (standard POWER-ETHERNET-MIB, RFC 3621). Every call blocks: run it with
/// `BlockingThread`.
struct SwitchAgent: Sendable {
    let client: SNMPClient

    /// The server's own agent: walt-server-snmpd, read with community "private" over v2c
    /// (upstream's const.SERVER_SNMP_CONF).
    static func server(ip: String) -> SwitchAgent {
        SwitchAgent(client: SNMPClient(host: ip, version: .v2c, community: "private"))
    }

    /// WalT's `snmp.version` setting: 1 or 2 (v2c).
    init?(ip: String, snmpVersion: Int?, community: String?) {
        guard let community, let version = snmpVersion.flatMap({ $0 == 1 ? SNMPVersion.v1 : $0 == 2 ? .v2c : nil })
        else { return nil }
        self.init(client: SNMPClient(host: ip, version: version, community: community))
    }

    init(client: SNMPClient) {
        self.client = client
    }

    func lldpNeighbours() throws -> [Int: LLDPNeighbour] {
        LLDPNeighbour.table(subtypes: try client.walk(LLDPNeighbour.chassisIDSubtype),
                            chassisIDs: try client.walk(LLDPNeighbour.chassisID),
                            sysNames: try client.walk(LLDPNeighbour.sysName),
                            addresses: try client.walk(LLDPNeighbour.managementAddress))
    }

    /// BRIDGE-MIB dot1dBaseBridgeAddress; Q-BRIDGE-MIB dot1qTpFdbPort and dot1qTpFdbStatus,
    /// indexed by (dot1qFdbId, the 6 bytes of the address); IF-MIB ifPhysAddress.
    static let baseBridgeAddress = SNMPObjectID("1.3.6.1.2.1.17.1.1.0")!
    static let fdbPort = SNMPObjectID("1.3.6.1.2.1.17.7.1.2.2.1.2")!
    static let fdbStatus = SNMPObjectID("1.3.6.1.2.1.17.7.1.2.2.1.3")!
    static let ifPhysAddress = SNMPObjectID("1.3.6.1.2.1.2.2.1.6")!
    /// dot1qTpFdbStatus learned(3): other entries (self, mgmt) are the switch's own.
    static let learned: Int64 = 3

    struct NoBridgeTable: Error {}

    /// The forwarding table (addresses learned on each port) and the switch's own
    /// addresses; `NoBridgeTable` when the agent does not serve these tables.
    func bridgeTable() throws -> (macsPerPort: [Int: Set<String>], ownMACs: Set<String>) {
        guard let base = try client.get(Self.baseBridgeAddress).bytes, base.count == 6 else { throw NoBridgeTable() }
        func byAddress(_ column: SNMPObjectID) throws -> [[UInt32]: Int64] {
            var values: [[UInt32]: Int64] = [:]
            for bind in try client.walk(column) {
                if let index = bind.oid.suffix(after: column), index.count == 7, let value = bind.value.int { values[index] = value }
            }
            return values
        }
        let ports = try byAddress(Self.fdbPort)
        let statuses = try byAddress(Self.fdbStatus)
        var macsPerPort: [Int: Set<String>] = [:]
        for (index, port) in ports where statuses[index] == Self.learned && index[1...].allSatisfy({ $0 < 256 }) {
            macsPerPort[Int(port), default: []].insert(LLDPNeighbour.macText(index[1...].map { UInt8($0) }))
        }
        var own: Set<String> = [LLDPNeighbour.macText(base)]
        for bind in try client.walk(Self.ifPhysAddress) {
            if let bytes = bind.value.bytes, bytes.count == 6 { own.insert(LLDPNeighbour.macText(bytes)) }
        }
        own.remove("00:00:00:00:00:00")
        return (macsPerPort, own)
    }

    /// lldpLocPortId, indexed by lldpLocPortNum: how the switch names each port in the
    /// frames it sends (what a node's lldpd reports as its neighbour's port).
    static let localPortID = SNMPObjectID("1.0.8802.1.1.2.1.3.7.1.3")!

    /// The port a label designates: a port id as text, or as a MAC address (lldpd's port id
    /// for an interface with a MAC), compared without case.
    func port(labelled label: String) throws -> Int? {
        let wanted = label.lowercased()
        for bind in try client.walk(Self.localPortID) {
            guard let index = bind.oid.suffix(after: Self.localPortID), index.count == 1,
                  let bytes = bind.value.bytes else { continue }
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            if text == wanted || (bytes.count == 6 && LLDPNeighbour.macText(bytes) == wanted) { return Int(index[0]) }
        }
        return nil
    }

    // MARK: PoE

    static let ifType = SNMPObjectID("1.3.6.1.2.1.2.2.1.3")!
    static let ifSpeed = SNMPObjectID("1.3.6.1.2.1.2.2.1.5")!
    /// pethPsePortAdminEnable: 1 true, 2 false.
    static let poeAdminEnable = SNMPObjectID("1.3.6.1.2.1.105.1.1.1.3")!
    /// pethPsePortDetectionStatus: 3 is deliveringPower.
    static let poeDetectionStatus = SNMPObjectID("1.3.6.1.2.1.105.1.1.1.6")!

    struct PoEError: Error, CustomStringConvertible {
        let description: String
    }

    /// Which PoE port powers each switch port (see `PoEPortMapping`).
    func poeMapping() throws -> [Int: PoEPort] {
        func column(_ oid: SNMPObjectID) throws -> [(index: Int, value: Int64)] {
            try client.walk(oid).compactMap { bind in
                guard let index = bind.oid.suffix(after: oid), index.count == 1, let value = bind.value.int else { return nil }
                return (Int(index[0]), value)
            }
        }
        let poePorts = try client.walk(Self.poeAdminEnable).compactMap { bind -> PoEPort? in
            guard let index = bind.oid.suffix(after: Self.poeAdminEnable), index.count == 2 else { return nil }
            return PoEPort(group: Int(index[0]), port: Int(index[1]))
        }
        guard !poePorts.isEmpty else {
            throw PoEError(description: "Device \(client.host) does not seem to handle PoE SNMP requests.")
        }
        let speeds = try column(Self.ifSpeed).map { (index: $0.index, speed: $0.value) }
        let types = try column(Self.ifType).map { (index: $0.index, type: $0.value) }
        guard let mapping = PoEPortMapping.compute(speeds: speeds, types: types, poePorts: poePorts) else {
            throw PoEError(description: "WalT could not guess how to correlate PoE ports and LLDP ports on switch \(client.host). Sorry.")
        }
        return mapping
    }

    /// Powers switch port `port` on or off. Before turning it off, checks that the port
    /// really powers what is plugged there (a node may have its own power supply), as
    /// upstream's walt-set-poe.
    func setPoE(port: Int, on: Bool) throws {
        guard let poePort = try poeMapping()[port] else {
            throw PoEError(description: "port \(port) is not a PoE port")
        }
        let suffix = [UInt32(poePort.group), UInt32(poePort.port)]
        let admin = SNMPObjectID(Self.poeAdminEnable.components + suffix)
        if !on {
            let enabled = try client.get(admin).int == 1
            let delivering = try client.get(SNMPObjectID(Self.poeDetectionStatus.components + suffix)).int == 3
            if enabled && !delivering { throw PoEError(description: "node seems not PoE-powered") }
        }
        try client.set(admin, .integer(on ? 1 : 2))
    }
}
