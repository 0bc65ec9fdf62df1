import WaltCommon

/// One setting of `walt device config` / `walt node config` (upstream's `settings_table`):
/// the group of devices it applies to, the value a device has until someone sets it, and
/// how `get_device_config` prints it.
struct DeviceSetting: Sendable {
    enum Display: Sendable {
        /// `str(value)`, `<unspecified>` for None.
        case plain
        /// `LAN` / `NAT` from the stored 0 / 1.
        case netsetup
        /// `true` / `false`.
        case boolean
        /// `none` for None.
        case timeout
    }

    let name: String
    let category: DeviceCategory
    let defaultValue: PyValue
    let display: Display

    init(_ name: String, _ category: DeviceCategory, _ defaultValue: PyValue, _ display: Display = .plain) {
        self.name = name
        self.category = category
        self.defaultValue = defaultValue
        self.display = display
    }

    static let unspecified = "<unspecified>"
    /// Upstream's `NODE_MIN_BOOT_TIMEOUT`.
    static let minBootTimeout = 60

    /// In upstream's order, which orders each group's defaults in `get_device_config_data`.
    static let table: [DeviceSetting] = [
        DeviceSetting("netsetup", .waltNetDevices, 0, .netsetup),
        DeviceSetting("ram", .virtualNodes, "512M"),
        DeviceSetting("cpu.cores", .virtualNodes, 4),
        DeviceSetting("disks", .virtualNodes, "none"),
        DeviceSetting("boot.delay", .virtualNodes, "random"),
        DeviceSetting("boot.retries", .nodes, 9),
        DeviceSetting("boot.timeout", .nodes, 180, .timeout),
        DeviceSetting("networks", .virtualNodes, "walt-net"),
        DeviceSetting("type", .unknownDevices, "unknown"),
        DeviceSetting("lldp.explore", .switches, false, .boolean),
        DeviceSetting("poe.reboots", .switches, false, .boolean),
        DeviceSetting("snmp.version", .switches, .none),
        DeviceSetting("snmp.community", .switches, .none),
        DeviceSetting("kexec.allow", .nodes, true, .boolean),
        DeviceSetting("mount.persist", .nodes, true, .boolean),
        DeviceSetting("expose", .waltNetDevices, "none"),
    ]

    static func named(_ name: String) -> DeviceSetting? {
        table.first { $0.name == name }
    }

    /// The group's settings with their defaults, in table order.
    static func defaults(of category: DeviceCategory) -> [(key: String, value: PyValue)] {
        table.filter { $0.category == category }.map { ($0.name, $0.defaultValue) }
    }

    /// The value as `walt device config` prints it after `name=`.
    static func render(_ name: String, _ value: PyValue) -> String {
        switch named(name)?.display ?? .plain {
        case .plain:
            return value.isNone ? unspecified : pythonStr(value)
        case .boolean:
            return value.isNone ? unspecified : pythonStr(value).lowercased()
        case .timeout:
            return value.isNone ? "none" : pythonStr(value)
        case .netsetup:
            switch value {
            case .none: return unspecified
            case .int(0), .bool(false): return "LAN"
            case .int(1), .bool(true): return "NAT"
            case .str(let text) where ["LAN", "NAT"].contains(text.uppercased()): return text.uppercased()
            default: return pythonStr(value)
            }
        }
    }

    /// Python's `str(value)` for the scalars a JSONB conf holds.
    static func pythonStr(_ value: PyValue) -> String {
        if case .str(let text) = value { return text }
        return (try? PythonRepr.repr(value)) ?? value.description
    }
}
