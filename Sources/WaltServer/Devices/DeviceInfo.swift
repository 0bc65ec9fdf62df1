import WaltCommon
import WaltStore

/// A device as upstream's `get_multiple_device_info` returns it: the `devices` row, plus
/// the node's image and model (or the switch's model), bootup state and network settings.
public struct DeviceInfo: Sendable, Equatable {
    public var mac: String
    public var ip: String?
    public var name: String
    public var type: String
    public var virtual: Bool
    /// `devices.conf` as a Python dict.
    public var conf: [(key: PyValue, value: PyValue)]
    public var image: String?
    public var model: String?
    public var booted: Bool?
    public var gateway: String
    public var netmask: String?
    public var netsetup: Int
    public var inWaltNet: Bool?

    public static func == (lhs: DeviceInfo, rhs: DeviceInfo) -> Bool {
        lhs.mac == rhs.mac && lhs.name == rhs.name && lhs.asDict(allFields: true) == rhs.asDict(allFields: true)
    }

    /// The dict clients receive; upstream's `get_device_info` keeps only some fields for
    /// devices other than nodes.
    public func asDict(allFields: Bool) -> PyValue {
        let optional: (String?) -> PyValue = { $0.map(PyValue.str) ?? .none }
        var pairs: [(key: PyValue, value: PyValue)] = [
            ("mac", .str(mac)), ("ip", optional(ip)), ("name", .str(name)), ("type", .str(type)),
        ]
        let wantsAll = allFields || type == "node"
        if wantsAll { pairs.append(("virtual", .bool(virtual))) }
        pairs.append(("conf", .dict(conf)))
        if wantsAll {
            pairs += [("image", optional(image)), ("model", optional(model)), ("booted", booted.map(PyValue.bool) ?? .none),
                      ("gateway", .str(gateway)), ("netmask", optional(netmask)), ("netsetup", .int(PyInt(netsetup)))]
        }
        pairs.append(("in_walt_net", inWaltNet.map(PyValue.bool) ?? .none))
        if !wantsAll && type == "switch" { pairs.append(("model", optional(model))) }
        return .dict(pairs)
    }

    /// Reads rows of `DeviceQueries.info` and the matching `conf` entries.
    static func decode(_ rows: [PGRow], conf: [String: [(key: PyValue, value: PyValue)]], booted: Set<String>,
                       server: ServerIdentity, netmask: String) -> [DeviceInfo] {
        rows.map { row in
            let mac = row["mac"] ?? ""
            let type = row["type"] ?? "unknown"
            let netsetup = Int(row["netsetup"] ?? "0") ?? 0
            let isNode = type == "node"
            return DeviceInfo(
                mac: mac, ip: row["ip"], name: row["name"] ?? "", type: type, virtual: row["virtual"] == "t",
                conf: conf[mac] ?? [], image: row["image"], model: row["model"],
                booted: isNode ? booted.contains(mac) : nil,
                gateway: isNode && netsetup == 1 ? server.ip ?? "" : "",
                netmask: isNode ? netmask : nil, netsetup: netsetup,
                inWaltNet: row["in_walt_net"].map { $0 == "t" })
        }
    }

    /// A JSONB value (type and text from `jsonb_typeof` and `#>> '{}'`) as Python sees it.
    static func confValue(type: String?, text: String?) -> PyValue {
        guard let text else { return .none }
        switch type {
        case "number":
            if let integer = Int(text) { return .int(PyInt(integer)) }
            return Double(text).map(PyValue.float) ?? .str(text)
        case "boolean": return .bool(text == "true")
        case "null": return .none
        default: return .str(text)
        }
    }
}
