import WaltCommon

/// The effective settings of one device, as `get_device_config_data` gives them (what
/// upstream's scripting API shows as `node.config`): each group's defaults, overridden by
/// what was set.
public struct WaltDeviceConfig: Equatable, Sendable {
    public let name: String
    /// The device's most specific settings group: `nodes`, `virtual-nodes`, `switches`,
    /// `unknown-devices`, `walt-net-devices`, `server` or `devices`.
    public let category: String
    /// Setting name (`netsetup`, `boot.timeout`...) → value as stored: `netsetup` is 0 (LAN)
    /// or 1 (NAT), flags are bools, counts ints, unset values `.none`.
    public let settings: [String: PyValue]

    init?(_ value: PyValue) {
        guard let name = value["name"]?.stringValue, let pairs = value["settings"]?.dictPairs else { return nil }
        self.name = name
        category = value["main_category"]?.stringValue ?? ""
        var settings: [String: PyValue] = [:]
        for pair in pairs {
            if let key = pair.key.stringValue { settings[key] = pair.value }
        }
        self.settings = settings
    }
}
