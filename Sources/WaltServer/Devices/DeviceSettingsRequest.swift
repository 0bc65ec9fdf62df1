import WaltCommon

/// The `name=value` arguments of `set_device_config`, checked against the devices they
/// target with upstream's rules and messages (`SettingsManager.set_device_config`): each
/// setting in command-line order must be known, apply to every device, and have a valid
/// value; the first failure is the only one reported.
struct DeviceSettingsRequest: Sendable {
    /// In first-seen order, a repeated name keeping its first place and its last value
    /// (a Python dict).
    let settings: [(name: String, value: String)]

    static let usage = "Please provide settings as `<setting name>=<setting value>` arguments.\n"

    /// Upstream's `parse_settings_args`; nil when an argument has no `=`.
    init?(arguments: [String]) {
        var settings: [(name: String, value: String)] = []
        for argument in arguments {
            guard let equal = argument.firstIndex(of: "=") else { return nil }
            let name = String(argument[..<equal])
            let value = String(argument[argument.index(after: equal)...])
            if let index = settings.firstIndex(where: { $0.name == name }) {
                settings[index].value = value
            } else {
                settings.append((name, value))
            }
        }
        self.settings = settings
    }

    func value(of name: String) -> String? {
        settings.first { $0.name == name }?.value
    }

    /// The message upstream writes to stderr before giving up, or nil when all is fine.
    func refusal(for devices: [DeviceInfo]) -> String? {
        let convertingToSwitches = value(of: "type") == "switch"
        for (name, value) in settings {
            guard let setting = DeviceSetting.named(name) else {
                return "Unknown setting '\(name)'. See: 'walt help show device-config'\n"
            }
            // With type=switch on the same command line the devices are still unknown: the
            // `type` setting checks that, and switch settings may come along.
            if !(setting.category == .switches && convertingToSwitches),
               let refusal = setting.category.refusal(devices, setting: name) {
                return refusal
            }
            if let error = valueError(name, value, devices) { return error }
        }
        return nil
    }

    private static let helpHint = "        Check 'walt help show device-config' for more info.\n"

    private func valueError(_ name: String, _ value: String, _ devices: [DeviceInfo]) -> String? {
        let rules = SettingValueRules.self
        let booleanError = rules.isBool(value) ? nil : "Failed: setting '\(name)' only allows values 'true' or 'false'.\n"
        switch name {
        case "netsetup":
            return ["LAN", "NAT"].contains(value.uppercased()) ? nil : "Failed: netsetup value should be 'NAT' or 'LAN'.\n"
        case "ram":
            return rules.isRAM(value) ? nil
                : "Failed: '\(value)' is not a valid value for ram (expecting for instance 512M or 1G).\n"
        case "cpu.cores":
            return rules.isPositiveInt(value) ? nil
                : "Failed: '\(value)' is not a valid value for cpu.cores (expecting for instance 1 or 4).\n"
        case "disks":
            return VnodeSettingValues.disksError(value).map { "Failed: \($0)\n" + Self.helpHint }
        case "networks":
            return VnodeSettingValues.networksError(value).map { "Failed: \($0)\n" + Self.helpHint }
        case "boot.delay":
            return value == "random" || rules.isPositiveInt(value) ? nil
                : "Failed: '\(value)' is not a valid value for option 'boot.delay'.\n"
                + "        Use for example '2' for 2s, '0' to disable, 'random' for a random delay between 1 and 10s.\n"
        case "boot.retries":
            return rules.isPositiveInt(value) ? nil
                : "Failed: '\(value)' is not a valid value for option 'boot.retries'.\n"
                + "        Use for example '2' for retrying twice after a failed boot, '0' to disable.\n"
        case "boot.timeout":
            return bootTimeoutError(value)
        case "type":
            return value == "switch" ? nil : "Failed: setting '\(name)' only allows value 'switch'.\n"
        case "lldp.explore":
            return booleanError ?? lldpExploreError(value, devices)
        case "poe.reboots":
            return booleanError ?? poeRebootsError(value, devices)
        case "kexec.allow", "mount.persist":
            return booleanError
        case "snmp.version":
            return ["1", "2"].contains(value) ? nil : "Failed: value of setting 'snmp.version' should be '1' or '2'.\n"
        case "expose":
            return exposeError(value, devices)
        default:
            return nil  // snmp.community: any text
        }
    }

    private func bootTimeoutError(_ value: String) -> String? {
        if value == "none" { return nil }
        guard let timeout = SettingValueRules.pythonInt(value), !timeout.isNegative else {
            return "Failed: '\(value)' is not a valid value for option 'boot.timeout'.\n"
                + "        Use for example '180' for waiting 3 minutes before considering the node is stuck"
                + " and force-rebooting it, or 'none' to disable.\n"
        }
        let minimum = DeviceSetting.minBootTimeout
        guard timeout < PyInt(minimum) else { return nil }
        return "Failed: A boot timeout of \(value)s is probably too small for some OS images.\n"
            + "        Only \"none\" and values higher than \(minimum) are allowed for this setting.\n"
    }

    /// lldp.explore=true needs the SNMP settings, on this command line or already stored.
    /// As upstream, a device lacking only snmp.version passes when snmp.community is also
    /// missing from the command line but stored.
    private func lldpExploreError(_ value: String, _ devices: [DeviceInfo]) -> String? {
        guard value.lowercased() == "true" else { return nil }
        let versionGiven = self.value(of: "snmp.version") != nil
        let communityGiven = self.value(of: "snmp.community") != nil
        if versionGiven && communityGiven { return nil }
        for device in devices {
            var allFine = true
            if !versionGiven { allFine = !Self.stored("snmp.version", device).isNone }
            if !communityGiven { allFine = !Self.stored("snmp.community", device).isNone }
            if !allFine {
                return "Failed: cannot set 'lldp.explore' to true unless 'snmp.version' and 'snmp.community' are defined too.\n"
            }
        }
        return nil
    }

    /// poe.reboots=true needs lldp.explore=true (WalT must know where the node is plugged).
    private func poeRebootsError(_ value: String, _ devices: [DeviceInfo]) -> String? {
        guard value.lowercased() == "true" else { return nil }
        let message = "Failed: cannot set 'poe.reboots' to true unless 'lldp.explore' is set to true too.\n"
        if let explore = self.value(of: "lldp.explore") {
            // Another value is refused by the lldp.explore check itself.
            return explore.lowercased() == "false" ? message : nil
        }
        for device in devices {
            switch Self.stored("lldp.explore", device) {
            case .none, .bool(false): return message
            default: continue
            }
        }
        return nil
    }

    /// Upstream's `check_expose_setting_value`, up to what needs the port-forwarding
    /// manager.
    private func exposeError(_ value: String, _ devices: [DeviceInfo]) -> String? {
        if devices.count > 1 { return "Failed: cannot expose the same server port for several devices.\n" }
        guard let redirects = SettingValueRules.exposeRedirects(value) else {
            return "Failed: '\(value)' is not a valid value for option 'expose'.\n"
                + "        Use for example '80:8088' (device port 80 <-> server port 8088), or 'none'.\n"
                + "        Several redirects are possible, e.g., '80:8088,443:8443'.\n"
        }
        if Set(redirects.map(\.device)).count < redirects.count {
            return "Failed: cannot use several times the same device port number.\n"
        }
        if Set(redirects.map(\.server)).count < redirects.count {
            return "Failed: cannot use several times the same server port number.\n"
        }
        // issue #8: port forwarding — "Failed: cannot use server port '<port>': <error>." when
        // the server port cannot be bound, "already used for another redirect" for another device.
        return nil
    }

    /// A value of the device's stored conf; None when absent.
    static func stored(_ name: String, _ device: DeviceInfo) -> PyValue {
        device.conf.first { $0.key.stringValue == name }?.value ?? .none
    }
}
