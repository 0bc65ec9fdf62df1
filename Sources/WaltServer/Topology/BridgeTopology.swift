/// What switches' forwarding tables say (Q-BRIDGE-MIB), and the links deduced from them,
/// as upstream's BridgeTopology: a forwarding table lists every address seen through a
/// port, near or far, so only ports where one device remains after the analysis give a
/// link. It places devices that do not speak LLDP.
struct BridgeTopology: Sendable {
    struct Place: Hashable, Comparable, Sendable {
        let mac: String
        let port: Int
        static func < (lhs: Place, rhs: Place) -> Bool { (lhs.mac, lhs.port) < (rhs.mac, rhs.port) }
    }

    /// A switch's other addresses (its interfaces', its bridge's) → its main one.
    private(set) var secondaryToMain: [String: String] = [:]
    private(set) var candidates: [Place: Set<String>] = [:]

    mutating func registerSecondaryMACs(of switchMAC: String, _ macs: Set<String>) {
        for mac in macs where mac != switchMAC { secondaryToMain[mac] = switchMAC }
    }

    mutating func registerNeighbour(_ localMAC: String, port: Int, neighbour: String) {
        candidates[Place(mac: localMAC, port: port), default: []].insert(neighbour)
    }

    /// Confirmed LLDP links help the analysis: the server answers LLDP but its many
    /// addresses (vnodes...) blur what the switch it is plugged on sees on that port.
    mutating func addConfirmed(_ lldp: LinkTopology) {
        for (pair, link) in lldp.sortedLinks where link.confirmed {
            if let port = link.port1 { registerNeighbour(pair.mac1, port: port, neighbour: pair.mac2) }
            if let port = link.port2 { registerNeighbour(pair.mac2, port: port, neighbour: pair.mac1) }
        }
    }

    /// The links the tables allow to deduce, among devices of the database (`types`: MAC →
    /// device type; others are unknown here and cannot be added without an address).
    func deduceLinks(types: [String: String], at now: Double) -> LinkTopology {
        var backbone: [String: [Int: Set<String>]] = [:]
        var edge: [String: [Int: Set<String>]] = [:]
        for (place, seen) in candidates.sorted(by: { $0.key < $1.key }) {
            let macs = Set(seen.map { secondaryToMain[$0] ?? $0 }).filter { types[$0] != nil }
            let backboneMACs = macs.filter { types[$0] == "switch" || types[$0] == "server" }
            let edgeMACs = macs.subtracting(backboneMACs)
            if !backboneMACs.isEmpty { backbone[place.mac, default: [:]][place.port] = backboneMACs }
            if !edgeMACs.isEmpty { edge[place.mac, default: [:]][place.port] = edgeMACs }
        }
        Self.narrowBackbone(&backbone)
        var links = LinkTopology()
        // Edge devices first: a backbone device found at the same place overrides them.
        for table in [edge, backbone] {
            for (switchMAC, ports) in table.sorted(by: { $0.key < $1.key }) {
                for (port, macs) in ports.sorted(by: { $0.key < $1.key }) where macs.count == 1 {
                    links.registerNeighbour(switchMAC, port: port, neighbour: macs.first!, at: now)
                }
            }
        }
        return links
    }

    /// Upstream's two rules, applied as upstream's loop does (one pass: it stops after the
    /// first pass that changed something, and a pass that changes nothing stops it too):
    /// 1. a device D seen on switch A's port a and on switch B's port b, B itself being
    ///    seen on A on another port than a: A is closer to D, so D leaves B's port b;
    /// 2. else, when switch A sees only switch B on a port, and B sees A among others on
    ///    its port b, that port of B leads to A only.
    private static func narrowBackbone(_ backbone: inout [String: [Int: Set<String>]]) {
        var placesOf: [String: [Place]] = [:]
        for (switchMAC, ports) in backbone.sorted(by: { $0.key < $1.key }) {
            for (port, macs) in ports.sorted(by: { $0.key < $1.key }) {
                for mac in macs { placesOf[mac, default: []].append(Place(mac: switchMAC, port: port)) }
            }
        }
        var changed = false
        for (device, places) in placesOf.sorted(by: { $0.key < $1.key }) {
            for a in places {
                for b in places where b != a {
                    guard let seenOnA = placesOf[b.mac]?.first(where: { $0.mac == a.mac }) else { continue }
                    if seenOnA.port != a.port {
                        backbone[b.mac]?[b.port]?.remove(device)
                        changed = true
                    }
                }
            }
        }
        if changed { return }
        for (switchA, ports) in backbone.sorted(by: { $0.key < $1.key }) {
            for (_, macs) in ports.sorted(by: { $0.key < $1.key }) where macs.count == 1 {
                let switchB = macs.first!
                for (portB, seenByB) in (backbone[switchB] ?? [:]).sorted(by: { $0.key < $1.key }) where seenByB.contains(switchA) {
                    if seenByB.count == 1 { break }
                    backbone[switchB]?[portB] = [switchA]
                    return
                }
            }
        }
    }
}
