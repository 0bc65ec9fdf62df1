import WaltCommon

/// The answer of `device_tree`: the saved topology drawn from the switch the server is
/// plugged on, with upstream's notes and tips, or upstream's explanation of why there is
/// no tree yet.
struct TopologyTreeView {
    static let unknownTopology = """
        Sorry, topology is unknown. Ensure a switch is connected to server \
        (on walt-net interface) and run "walt device rescan".

        """
    static let tipAll = "use 'walt device tree --all' to see all devices detected"
    static let tipShow = "use 'walt device show' for device details"
    static let tipRescan = "use 'walt device rescan' to update"
    static let tipAdmin1 = "use 'walt device config <device> type=switch' to let WalT know a given device is a switch"
    static let tipAdmin2 = "use 'walt device config ...' (see walt help show device-config) to let WalT explore forbidden switches"
    static let tipAdmin3 = "use 'walt device port-config ...' (see walt help show device-port-config) to give sensible names to switch ports"
    static let noteUnreachable = "devices marked with parentheses were not detected at last scan"
    static let noteUnknown = "type of devices marked with <? ... ?> is unknown"

    let topology: LinkTopology
    let devices: [String: TopologyRepository.Device]
    let portNames: [String: [Int: String]]
    let serverMAC: String
    let waltNet: IPv4Network
    let lastScan: Double?
    let now: Double
    let charset: DeviceTree.Charset

    func text(showAll: Bool) -> String {
        if topology.isEmpty { return Self.unknownTopology }
        switch rootSwitch() {
        case .failure(let explanation): return explanation.message
        case .success(let root): return drawing(root: root, showAll: showAll)
        }
    }

    struct Explanation: Error { let message: String }

    /// The switch the server is plugged on: a neighbour of the server in walt-net whose
    /// type is switch.
    func rootSwitch() -> Result<String, Explanation> {
        var unknown: [String] = []
        for mac in topology.neighbours(of: serverMAC) {
            guard let device = devices[mac], let ip = device.ip, waltNet.contains(ip) else { continue }
            if device.type == "switch" { return .success(mac) }
            if device.type == "unknown" { unknown.append(device.name) }
        }
        var message = Self.unknownTopology
        if !unknown.isEmpty {
            message += SentenceFormat.format(
                "Note: %s was(were) detected, but its(their) type is unknown.\n"
                    + "If it(one of them) is a switch, use:\n$ walt device config <device> type=switch\n",
                items: unknown, none: "None", singular: "device", plural: "devices")
        }
        return .failure(Explanation(message: message))
    }

    private func drawing(root: String, showAll: Bool) -> String {
        var tree = DeviceTree(charset: charset)
        var all: Set<String> = []
        var confirmed: Set<String> = []
        for (pair, link) in topology.sortedLinks {
            all.formUnion([pair.mac1, pair.mac2])
            if link.confirmed { confirmed.formUnion([pair.mac1, pair.mac2]) }
        }
        func type(_ mac: String) -> String { devices[mac]?.type ?? "unknown" }
        for mac in all.sorted() {
            var label = devices[mac]?.name ?? mac
            if type(mac) == "switch" { label = "-- \(label) --" } else if type(mac) == "unknown" { label = "<? \(label) ?>" }
            if !confirmed.contains(mac) { label = "(\(label))" }
            tree.add(mac, label: label)
        }
        for (pair, link) in topology.sortedLinks {
            for (child, parent, port) in [(pair.mac1, pair.mac2, link.port2), (pair.mac2, pair.mac1, link.port1)]
            where type(parent) == "switch" && (showAll || type(child) != "unknown") {
                let position: DeviceTree.Position = port.map { portNames[parent]?[$0].map(DeviceTree.Position.name) ?? .number($0) } ?? .unknown
                tree.addChild(of: parent, at: position, child)
            }
        }
        if !showAll { pruneEmptyBranches(&tree, root: root) }
        var notes = [lastScan.map { "this view comes from last network scan, issued \(Self.delayText(now - $0)) ago (use 'walt device rescan' to update)" }
                     ?? "this view comes from last network scan (use 'walt device rescan' to update)"]
        var tips = [Self.tipShow, Self.tipAdmin2, Self.tipAdmin3, Self.tipRescan]
        if !all.subtracting(confirmed).isEmpty { notes.append(Self.noteUnreachable) }
        if showAll {
            tips.insert(Self.tipAdmin1, at: 0)
            notes.append(Self.noteUnknown)
        } else {
            tips.insert(Self.tipAll, at: 0)
        }
        let footer = Self.explanation("note", notes) + "\n" + Self.explanation("tip", tips)
        return "\n\(tree.drawing(root: root))\n\(footer)"
    }

    /// Without --all, branches with no node below them become one line saying so.
    private func pruneEmptyBranches(_ tree: inout DeviceTree, root: String) {
        var seen: Set<String> = []
        func count(_ mac: String) -> Int {
            seen.insert(mac)
            let type = devices[mac]?.type ?? "unknown"
            if type == "node" { return 1 }
            var total = 0
            for child in tree.children(of: mac) where !seen.contains(child.key) { total += count(child.key) }
            if type == "switch" && total == 0 {
                tree.prune(mac, devices[mac]?.lldpExplore == true
                    ? "[...] ~> no nodes there" : "[...] ~> forbidden (cf. walt device config)")
            }
            return total
        }
        _ = count(root)
    }

    static func explanation(_ kind: String, _ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: "\(kind): \(items[0]).\n"
        default: "\(kind)s:" + items.map { "\n- \($0)" }.joined() + "\n"
        }
    }

    /// Upstream's human_readable_delay: the two largest non-zero units of a relativedelta
    /// of that many seconds (days do not carry into months).
    static func delayText(_ seconds: Double) -> String {
        var rest = max(seconds, 1)
        var units: [(String, Double)] = []
        let minutes = rest > 59 ? (rest / 60).rounded(.down) : 0
        rest -= minutes * 60
        var (hours, days) = (0.0, 0.0)
        var mins = minutes
        if mins > 59 { hours = (mins / 60).rounded(.down); mins -= hours * 60 }
        if hours > 23 { days = (hours / 24).rounded(.down); hours -= days * 24 }
        units = [("days", days), ("hours", hours), ("minutes", mins), ("seconds", rest)]
        let items = units.filter { $0.1 != 0 }.map { name, value in
            "\(Int(value)) \(value > 1 ? name : String(name.dropLast()))"
        }
        return items.prefix(2).joined(separator: " and ")
    }
}
