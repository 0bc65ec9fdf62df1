import WaltCommon

/// Typed calls for device settings (`walt device config` / `walt node config`).
extension WaltSession {
    /// The settings of every device of a set (`get_device_config_data`), sorted by name.
    public func deviceConfig(_ deviceSet: String) throws(WaltAPIError) -> [WaltDeviceConfig] {
        let result = try call("get_device_config_data", [.str(deviceSet)])
        return (result.sequenceItems ?? []).compactMap(WaltDeviceConfig.init)
    }

    /// Changes settings of a set of devices, e.g. `["netsetup": "NAT", "boot.timeout": "none"]`,
    /// with the values the CLI takes. Returns the server's confirmation ("Done." or the
    /// reboot reminder); a refused setting throws with the server's message.
    @discardableResult
    public func setDeviceConfig(_ deviceSet: String, _ settings: KeyValuePairs<String, String>) throws(WaltAPIError) -> String {
        let arguments = settings.map { PyValue.str("\($0.key)=\($0.value)") }
        try call("set_device_config", [.str(deviceSet), .tuple(arguments)], allowNone: true)
        return lastOutput.trimmingTrailingNewlines()
    }
}
