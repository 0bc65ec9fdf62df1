import WaltCommon

/// The effective settings of devices: each group's defaults, overridden by what is stored in
/// `devices.conf` (upstream's `get_device_config_data_for_devices`), and their text for
/// `walt device config <set>` (upstream's `get_device_config`).
enum DeviceSettingsText {
    struct Entry: Sendable {
        let name: String
        /// The highest-priority group the device is in.
        let mainCategory: DeviceCategory
        /// Defaults in group then table order, stored values merged as a Python dict would.
        let settings: [(key: String, value: PyValue)]
    }

    static func entries(_ devices: [DeviceInfo]) -> [Entry] {
        devices.map { device in
            var main = DeviceCategory.devices
            var settings: [(key: String, value: PyValue)] = []
            func merge(_ key: String, _ value: PyValue) {
                if let index = settings.firstIndex(where: { $0.key == key }) {
                    settings[index].value = value
                } else {
                    settings.append((key, value))
                }
            }
            for category in DeviceCategory.ordered where category.contains(device) {
                main = category
                for (key, value) in DeviceSetting.defaults(of: category) { merge(key, value) }
            }
            for (key, value) in device.conf {
                if let key = key.stringValue { merge(key, value) }
            }
            return Entry(name: device.name, mainCategory: main, settings: settings)
        }
    }

    /// `get_device_config_data`'s result: `{name, settings, main_category}` per device.
    static func data(_ entries: [Entry]) -> PyValue {
        .tuple(entries.map { entry in
            .dict([
                ("name", .str(entry.name)),
                ("settings", .dict(entry.settings.map { (.str($0.key), $0.value) })),
                ("main_category", .str(entry.mainCategory.rawValue)),
            ])
        })
    }

    /// Devices of one group with the same settings share a paragraph; groups and settings
    /// come in order of first appearance, settings sorted by name.
    static func render(_ entries: [Entry]) -> String {
        var groups: [(category: DeviceCategory, settings: [(key: String, value: PyValue)], names: [String])] = []
        for entry in entries {
            let sorted = entry.settings.sorted { Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) }
            if let index = groups.firstIndex(where: { $0.category == entry.mainCategory && same($0.settings, sorted) }) {
                groups[index].names.append(entry.name)
            } else {
                groups.append((entry.mainCategory, sorted, [entry.name]))
            }
        }
        // Python dict order: a group's paragraphs follow its first device.
        let order = groups.map(\.category).reduce(into: [DeviceCategory]()) { if !$0.contains($1) { $0.append($1) } }
        var parts: [String] = []
        for category in order {
            for group in groups where group.category == category {
                let start = category == .server ? "Server has"
                    : SentenceFormat.format("%s has(have)", items: group.names, none: "",
                                            singular: category.labels.singular, plural: category.labels.plural)
                if group.settings.isEmpty {
                    parts.append(start + " no config option available.\n")
                    continue
                }
                var text = start + " the following config applied:\n"
                for (key, value) in group.settings {
                    text += "\(key)=\(DeviceSetting.render(key, value))\n"
                }
                parts.append(text)
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    private static func same(_ lhs: [(key: String, value: PyValue)], _ rhs: [(key: String, value: PyValue)]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
