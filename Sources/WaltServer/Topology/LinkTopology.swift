// WaltServer/Topology: where each device is plugged. The daemon reads the LLDP tables of
// the server's own agent and of the switches it may explore (SNMP), keeps the links in the
// `topology` table, draws them as `walt device tree`, and power-cycles nodes through their
// switch port's PoE (server.md §7).

/// Two devices' MAC addresses in the order the `topology` table keeps them (mac1 < mac2).
struct MACPair: Hashable, Comparable, Sendable {
    let mac1: String
    let mac2: String

    init(_ a: String, _ b: String) {
        (mac1, mac2) = a < b ? (a, b) : (b, a)
    }

    static func < (lhs: MACPair, rhs: MACPair) -> Bool {
        (lhs.mac1, lhs.mac2) < (rhs.mac1, rhs.mac2)
    }
}

/// One link: the port on each side when known (port1 is mac1's), whether the last scan of
/// either side saw it, and when it was last seen (seconds since the epoch).
struct TopologyLink: Equatable, Sendable {
    var port1: Int?
    var port2: Int?
    var confirmed: Bool
    var lastSeen: Double

    /// Which of two records of a link, or of two links at one place, to trust: a confirmed
    /// one, then the most recent (upstream compares `(confirmed, last_seen)`).
    func outranks(_ other: TopologyLink) -> Bool {
        (confirmed ? 1 : 0, lastSeen) > (other.confirmed ? 1 : 0, other.lastSeen)
    }
}

/// The link-layer topology as upstream's LinkLayerTopology keeps it: a pure value, merged
/// from a scan and the database, then cleaned (a node has one neighbour, no loops).
struct LinkTopology: Equatable, Sendable {
    var links: [MACPair: TopologyLink] = [:]

    var isEmpty: Bool { links.isEmpty }

    /// Links in a fixed order, so that cleanup decides the same way every time.
    var sortedLinks: [(pair: MACPair, link: TopologyLink)] {
        links.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `localMAC` sees `neighbourMAC` on its port `localPort` (an LLDP table row).
    mutating func registerNeighbour(_ localMAC: String, port localPort: Int?, neighbour neighbourMAC: String, at now: Double) {
        let pair = MACPair(localMAC, neighbourMAC)
        var link = links[pair] ?? TopologyLink(port1: nil, port2: nil, confirmed: true, lastSeen: now)
        if localMAC < neighbourMAC { link.port1 = localPort } else { link.port2 = localPort }
        link.confirmed = true
        link.lastSeen = now
        links[pair] = link
    }

    mutating func setConfirmAll(_ confirmed: Bool) {
        for pair in links.keys { links[pair]!.confirmed = confirmed }
    }

    /// Links of the devices being scanned again are only confirmed if the scan sees them.
    mutating func unconfirm(_ macs: Set<String>) {
        for (pair, link) in links where link.confirmed && (macs.contains(pair.mac1) || macs.contains(pair.mac2)) {
            links[pair]!.confirmed = false
        }
    }

    /// Where `mac` is plugged: its best neighbour and that neighbour's port.
    func locate(_ mac: String) -> (neighbour: String, port: Int?, confirmed: Bool)? {
        var best: (neighbour: String, port: Int?, link: TopologyLink)?
        for (pair, link) in sortedLinks where pair.mac1 == mac || pair.mac2 == mac {
            let entry = pair.mac1 == mac ? (pair.mac2, link.port2, link) : (pair.mac1, link.port1, link)
            if best == nil || link.outranks(best!.link) { best = entry }
        }
        return best.map { ($0.neighbour, $0.port, $0.link.confirmed) }
    }

    func neighbours(of mac: String) -> [String] {
        sortedLinks.compactMap { $0.pair.mac1 == mac ? $0.pair.mac2 : $0.pair.mac2 == mac ? $0.pair.mac1 : nil }
    }

    /// The union of both, a link known on both sides taking the trusted record's state and
    /// the ports either knows; then one device per (switch, port), the best one.
    mutating func merge(_ other: LinkTopology) {
        var merged = links
        for (pair, theirs) in other.links {
            guard let ours = merged[pair] else {
                merged[pair] = theirs
                continue
            }
            let (trusted, untrusted) = theirs.outranks(ours) ? (theirs, ours) : (ours, theirs)
            merged[pair] = TopologyLink(port1: trusted.port1 ?? untrusted.port1, port2: trusted.port2 ?? untrusted.port2,
                                        confirmed: trusted.confirmed, lastSeen: trusted.lastSeen)
        }
        var places: [String: (pair: MACPair, link: TopologyLink)] = [:]
        for (pair, link) in merged.sorted(by: { $0.key < $1.key }) {
            for place in [link.port1.map { "\(pair.mac1)|\($0)" }, link.port2.map { "\(pair.mac2)|\($0)" }] {
                guard let place, merged[pair] != nil else { continue }
                if let holder = places[place] {
                    if link.outranks(holder.link) {
                        merged[holder.pair] = nil
                        places[place] = (pair, link)
                    } else {
                        merged[pair] = nil
                    }
                } else {
                    places[place] = (pair, link)
                }
            }
        }
        links = merged
    }
}
