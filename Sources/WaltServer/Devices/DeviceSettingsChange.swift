import WaltCommon

/// What accepted settings do (the second half of upstream's `set_device_config`): the
/// values merged into `devices.conf` with their stored types, whether unknown devices become
/// switches, and whether the devices must reboot to see the change.
struct DeviceSettingsChange: Sendable {
    /// Merged into `devices.conf` (`conf || new`), in command-line order. `type` is a
    /// column of `devices`, so it never lands here.
    private(set) var conf: [(key: String, value: PyValue)] = []
    private(set) var convertsToSwitches = false
    private(set) var needsReboot = false
    /// Settings that generated service files follow: `netsetup` (dhcpd's NAT group) and
    /// `mount.persist` (the node tree's persist link and the exports).
    private(set) var updatesBootFiles = false

    /// - Parameter request: already accepted by `DeviceSettingsRequest.refusal(for:)`.
    init(_ request: DeviceSettingsRequest) {
        for (name, value) in request.settings {
            let stored: PyValue
            switch name {
            case "netsetup":
                stored = .int(value.uppercased() == "NAT" ? 1 : 0)
                needsReboot = true
                updatesBootFiles = true
            case "cpu.cores", "boot.retries", "snmp.version":
                stored = SettingValueRules.pythonInt(value).map(PyValue.int) ?? .str(value)
                needsReboot = needsReboot || name == "cpu.cores"
            case "ram", "disks", "boot.delay", "networks":
                stored = .str(value)
                needsReboot = true
            case "boot.timeout":
                stored = value == "none" ? .none : SettingValueRules.pythonInt(value).map(PyValue.int) ?? .str(value)
            case "lldp.explore", "poe.reboots", "kexec.allow":
                stored = .bool(value.lowercased() == "true")
            case "mount.persist":
                stored = .bool(value.lowercased() == "true")
                needsReboot = true
                updatesBootFiles = true
            case "type":
                convertsToSwitches = true
                continue
            default:
                stored = .str(value)  // snmp.community, expose
            }
            conf.append((name, stored))
        }
    }

    /// What the client reads once the settings are saved: `node(s)` when every device is a
    /// node (as they were before this change), `device(s)` otherwise.
    func doneMessage(for devices: [DeviceInfo]) -> String {
        guard needsReboot else { return "Done.\n" }
        let label = devices.allSatisfy { $0.type == "node" } ? "node(s)" : "device(s)"
        return "Done. Reboot \(label) to see new settings in effect.\n"
    }
}
