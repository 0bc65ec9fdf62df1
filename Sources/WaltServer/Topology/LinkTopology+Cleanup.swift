/// Upstream's cleanup after a merge: links left from devices that moved go, and the graph
/// becomes a forest (a tree drawn from the server must not loop).
extension LinkTopology {
    mutating func cleanup(nodes: Set<String>) {
        keepOneNeighbourPerNode(nodes)
        removeConfirmedLoops()
        acceptUnconfirmedLinks()
    }

    /// A node is plugged in one place: its best link wins; a link between two nodes is
    /// nonsense.
    private mutating func keepOneNeighbourPerNode(_ nodes: Set<String>) {
        var placed: [String: (pair: MACPair, link: TopologyLink)] = [:]
        for (pair, link) in sortedLinks {
            let isNode = (nodes.contains(pair.mac1), nodes.contains(pair.mac2))
            if isNode.0 && isNode.1 {
                links[pair] = nil
                continue
            }
            guard isNode.0 || isNode.1 else { continue }
            let node = isNode.0 ? pair.mac1 : pair.mac2
            if let previous = placed[node] {
                if link.outranks(previous.link) {
                    links[previous.pair] = nil
                    placed[node] = (pair, link)
                } else {
                    links[pair] = nil
                }
            } else {
                placed[node] = (pair, link)
            }
        }
    }

    /// Confirmed links that close a loop (a partial rescan after the network changed, mixed
    /// with older data): the oldest link of the loop goes, until none is left.
    private mutating func removeConfirmedLoops() {
        while let loop = firstConfirmedLoop() {
            let oldest = loop.min { (links[$0]!.lastSeen, $0) < (links[$1]!.lastSeen, $1) }!
            links[oldest] = nil
        }
    }

    /// The links of a loop among confirmed links, if there is one.
    private func firstConfirmedLoop() -> [MACPair]? {
        var adjacency: [String: [(String, MACPair)]] = [:]
        for (pair, link) in sortedLinks where link.confirmed {
            if let path = Self.path(from: pair.mac1, to: pair.mac2, in: adjacency) {
                return path + [pair]
            }
            adjacency[pair.mac1, default: []].append((pair.mac2, pair))
            adjacency[pair.mac2, default: []].append((pair.mac1, pair))
        }
        return nil
    }

    /// The links of a path between two devices (breadth first), if connected.
    private static func path(from start: String, to goal: String, in adjacency: [String: [(String, MACPair)]]) -> [MACPair]? {
        var cameBy: [String: (previous: String, pair: MACPair)] = [:]
        var queue = [start]
        var seen: Set<String> = [start]
        while !queue.isEmpty {
            let mac = queue.removeFirst()
            if mac == goal {
                var result: [MACPair] = []
                var current = goal
                while let step = cameBy[current] {
                    result.append(step.pair)
                    current = step.previous
                }
                return result
            }
            for (next, pair) in adjacency[mac] ?? [] where seen.insert(next).inserted {
                cameBy[next] = (mac, pair)
                queue.append(next)
            }
        }
        return nil
    }

    /// Unconfirmed links (from older scans) are kept while they join separate groups of
    /// devices, or add a device to one; one that would close a loop goes.
    private mutating func acceptUnconfirmedLinks() {
        var groups = DeviceGroups()
        var remaining: [MACPair] = []
        for (pair, link) in sortedLinks {
            if link.confirmed { groups.join(pair.mac1, pair.mac2) } else { remaining.append(pair) }
        }
        var moving = true
        while moving {
            moving = false
            // Both ends already grouped: the same group means a loop, else the link joins two.
            if let index = remaining.firstIndex(where: { groups.contains($0.mac1) && groups.contains($0.mac2) }) {
                let pair = remaining.remove(at: index)
                if groups.sameGroup(pair.mac1, pair.mac2) {
                    links[pair] = nil
                    moving = true
                    continue
                }
                groups.join(pair.mac1, pair.mac2)
                moving = true
                continue
            }
            // One end grouped: the other joins its group.
            if let index = remaining.firstIndex(where: { groups.contains($0.mac1) || groups.contains($0.mac2) }) {
                let pair = remaining.remove(at: index)
                groups.join(pair.mac1, pair.mac2)
                moving = true
            }
        }
    }
}

/// Disjoint sets of devices (union-find), for the loop checks.
struct DeviceGroups {
    private var parent: [String: String] = [:]

    func contains(_ mac: String) -> Bool { parent[mac] != nil }

    mutating func root(_ mac: String) -> String {
        var current = mac
        while let next = parent[current], next != current { current = next }
        parent[mac] = current
        return current
    }

    mutating func sameGroup(_ a: String, _ b: String) -> Bool {
        contains(a) && contains(b) && root(a) == root(b)
    }

    mutating func join(_ a: String, _ b: String) {
        if parent[a] == nil { parent[a] = a }
        if parent[b] == nil { parent[b] = b }
        let (rootA, rootB) = (root(a), root(b))
        if rootA != rootB { parent[rootA] = rootB }
    }
}
