/// Which POWER-ETHERNET-MIB port (group, port) powers which switch port (the interface
/// index LLDP reports). The MIB does not say, so, as upstream, it is guessed from IF-MIB:
/// 1. the ports at 10 Mb/s, 100 Mb/s or 1 Gb/s (a PoE port's speeds), when there are as
///    many as PoE ports, are matched one by one in order;
/// 2. else the ethernet ports (ifType 6), when their indexes have no hole;
/// 3. else each PoE group is matched with a run of consecutive fast-port indexes, the runs
///    starting after the holes in the interface numbering (stacked switches).
enum PoEPortMapping {
    static let poeSpeeds: Set<Int64> = [10_000_000, 100_000_000, 1_000_000_000]
    static let ethernetCsmacd: Int64 = 6

    /// nil when none of the three ways fits.
    static func compute(speeds: [(index: Int, speed: Int64)], types: [(index: Int, type: Int64)],
                        poePorts: [PoEPort]) -> [Int: PoEPort]? {
        let fast = speeds.filter { poeSpeeds.contains($0.speed) }.map(\.index).sorted()
        let ethernet = types.filter { $0.type == ethernetCsmacd }.map(\.index).sorted()
        let poe = poePorts.sorted()
        if fast.count == poe.count {
            return Dictionary(uniqueKeysWithValues: zip(fast, poe))
        }
        if ethernet.count > 1, zip(ethernet.dropFirst(), ethernet).allSatisfy({ $0 - $1 == 1 }) {
            return Dictionary(zip(ethernet, poe).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        }
        return byGroups(fast: fast, poe: poe)
    }

    private static func byGroups(fast: [Int], poe: [PoEPort]) -> [Int: PoEPort]? {
        let groupSizes = Set(Dictionary(grouping: poe, by: \.group).values.map(\.count))
        guard groupSizes.count == 1, let size = groupSizes.first, size > 0 else { return nil }
        // Where a run of interface indexes may start: the first one, and after each hole.
        let starts = [0] + fast.indices.dropLast().filter { fast[$0 + 1] - fast[$0] > 1 }.map { $0 + 1 }
        var mapping: [Int: PoEPort] = [:]
        var startIndex = 0
        var poeIndex = 0
        while poeIndex < poe.count {
            let range = poe[poeIndex..<min(poeIndex + size, poe.count)]
            var placed = false
            while startIndex < starts.count {
                let first = starts[startIndex]
                startIndex += 1
                guard first + size <= fast.count else { return nil }
                let run = fast[first..<first + size]
                if run.last! - run.first! + 1 == size {
                    for (index, port) in zip(run, range) { mapping[index] = port }
                    placed = true
                    break
                }
            }
            guard placed else { return nil }
            poeIndex += size
        }
        return mapping
    }
}

/// A port of POWER-ETHERNET-MIB's pethPsePortTable: its group (a box of a stack, 1 for
/// most switches) and its number in that group.
struct PoEPort: Hashable, Comparable, Sendable {
    let group: Int
    let port: Int

    static func < (lhs: PoEPort, rhs: PoEPort) -> Bool {
        (lhs.group, lhs.port) < (rhs.group, rhs.port)
    }
}
