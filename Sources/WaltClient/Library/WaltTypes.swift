import WaltCommon

/// A node as `get_nodes_info` describes it (upstream's `api.nodes` objects).
public struct WaltNode: Equatable, Sendable {
    public let name: String
    public let mac: String
    public let ip: String
    public let model: String
    /// Full image name, `<owner>/<name>:<tag>`.
    public let image: String
    public let booted: Bool
    public let isVirtual: Bool

    /// The image's owner; `waltplatform` means the node is free.
    public var owner: String { String(image.prefix { $0 != "/" }) }
    public var isFree: Bool { owner == "waltplatform" }

    init?(_ value: PyValue) {
        guard let pairs = value.dictPairs else { return nil }
        var fields: [String: PyValue] = [:]
        for pair in pairs { if let key = pair.key.stringValue { fields[key] = pair.value } }
        guard let name = fields["name"]?.stringValue, let mac = fields["mac"]?.stringValue else { return nil }
        self.name = name
        self.mac = mac
        ip = fields["ip"]?.stringValue ?? ""
        model = fields["model"]?.stringValue ?? ""
        image = fields["image"]?.stringValue ?? ""
        booted = fields["booted"]?.boolValue ?? false
        isVirtual = fields["virtual"]?.boolValue ?? false
    }
}

/// A device as `get_device_info` describes it.
public struct WaltDevice: Equatable, Sendable {
    public let name: String
    public let mac: String
    public let ip: String
    /// `server`, `switch`, `node`, `unknown`...
    public let type: String

    init?(_ value: PyValue) {
        guard let pairs = value.dictPairs else { return nil }
        var fields: [String: String] = [:]
        for pair in pairs {
            if let key = pair.key.stringValue, let text = pair.value.stringValue { fields[key] = text }
        }
        guard let name = fields["name"], let mac = fields["mac"] else { return nil }
        self.name = name
        self.mac = mac
        ip = fields["ip"] ?? ""
        type = fields["type"] ?? ""
    }
}
