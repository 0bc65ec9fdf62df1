import WaltCommon

/// The groups of devices that WalT settings apply to (upstream's `category_info` in
/// `settings.py`). Each setting belongs to one group; a device gets the defaults of every
/// group it is in, and the last one (highest priority) names it in `walt device config`.
enum DeviceCategory: String, CaseIterable, Sendable {
    case devices
    case server
    case waltNetDevices = "walt-net-devices"
    case nodes
    case virtualNodes = "virtual-nodes"
    case unknownDevices = "unknown-devices"
    case switches

    var priority: Int {
        switch self {
        case .devices: 1
        case .waltNetDevices: 2
        case .server, .nodes, .unknownDevices, .switches: 3
        case .virtualNodes: 4
        }
    }

    /// By increasing priority; ties keep upstream's declaration order (Python's sort is
    /// stable), which `allCases` follows.
    static let ordered: [DeviceCategory] = allCases.enumerated()
        .sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }
        .map(\.element)

    /// How `walt device config` names one or several devices of this group.
    var labels: (singular: String, plural: String) {
        switch self {
        case .devices, .waltNetDevices: ("Device", "Devices")
        case .server: ("Server", "")
        case .nodes: ("Node", "Nodes")
        case .virtualNodes: ("Virtual node", "Virtual nodes")
        case .unknownDevices: ("Unknown device", "Unknown devices")
        case .switches: ("Switch", "Switches")
        }
    }

    /// Upstream's mask functions: whether `device` belongs to this group. A device with no
    /// known address is not in walt-net.
    func contains(_ device: DeviceInfo) -> Bool {
        switch self {
        case .devices: true
        case .server: device.type == "server"
        case .waltNetDevices: device.inWaltNet == true && device.type != "server"
        case .nodes: device.type == "node"
        case .virtualNodes: device.type == "node" && device.virtual
        case .unknownDevices: device.type == "unknown"
        case .switches: device.type == "switch"
        }
    }

    /// What upstream writes to stderr when some of `devices` are outside this group and
    /// `setting` (of this group) was asked for them; nil when they all belong.
    func refusal(_ devices: [DeviceInfo], setting: String) -> String? {
        let outside = devices.filter { !contains($0) }.map(\.name)
        guard !outside.isEmpty else { return nil }
        func sentence(_ text: String, _ names: [String], _ singular: String, _ plural: String) -> String {
            SentenceFormat.format(text, items: names, none: "", singular: singular, plural: plural)
        }
        switch self {
        case .devices:
            return nil
        case .server:
            return sentence("Failed: %s is(are) not a() WALT server(servers), so '\(setting)' setting cannot be applied.\n",
                            outside, "Device", "Devices")
        case .unknownDevices:
            return "Failed: setting '\(setting)' can only be applied to unknown devices.\n"
        case .switches:
            return sentence("Failed: %s is(are) not a() switch(switches), so '\(setting)' setting cannot be applied.\n",
                            outside, "Device", "Devices")
        case .nodes:
            return sentence("Failed: %s is(are) not a() node(nodes), so it(they) does(do) not support the '"
                            + setting + "' setting.\n", outside, "Device", "Devices")
        case .waltNetDevices:
            var reasons: [String] = []
            let notInWaltNet = devices.filter { $0.inWaltNet != true }.map(\.name)
            if !notInWaltNet.isEmpty {
                reasons.append(sentence("%s is(are) not a() device(devices) managed inside walt-net",
                                        notInWaltNet, "device", "devices"))
            }
            if let server = devices.first(where: { $0.type == "server" }) {
                reasons.append("\(server.name) is the WALT server")
            }
            return "Failed: " + reasons.joined(separator: ", and ") + ".\n"
        case .virtualNodes:
            var reasons: [String] = []
            let notNodes = devices.filter { $0.type != "node" }.map(\.name)
            if !notNodes.isEmpty {
                reasons.append(sentence("%s is(are) not a() node(nodes)", notNodes, "device", "devices"))
            }
            let notVirtual = devices.filter { $0.type == "node" && !$0.virtual }.map(\.name)
            if !notVirtual.isEmpty {
                reasons.append(sentence("%s is(are) not virtual", notVirtual, "node", "nodes"))
            }
            for index in reasons.indices.dropFirst() { reasons[index] = Self.uncapitalize(reasons[index]) }
            return "Failed: " + reasons.joined(separator: ", and ") + ", so '\(setting)' setting is not supported.\n"
        }
    }

    /// Upstream's `uncapitalize`: the first character in lower case.
    static func uncapitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
