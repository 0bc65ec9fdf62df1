import WaltCommon

/// The objects of `/api/v1/*` listings, built from the same values the RPC API returns, so
/// the web view and the scripting API's view of a node, an image or a log line agree.
enum WebRecords {
    /// Exactly upstream's 8 keys, in its order; `config` as `DeviceSettingsText` computes the
    /// settings for `get_device_config_data`, with `netsetup` spelled `NAT`/`LAN`.
    static func node(_ device: DeviceInfo) -> JSONValue {
        let optional: (String?) -> JSONValue = { $0.map(JSONValue.string) ?? .null }
        return .object([
            ("name", .string(device.name)),
            ("model", optional(device.model)),
            ("virtual", .bool(device.virtual)),
            ("image", optional(device.image)),
            ("booted", .bool(device.booted ?? false)),
            ("ip", optional(device.ip)),
            ("mac", .string(device.mac)),
            ("config", nodeConfig(device)),
        ])
    }

    /// Upstream replaces `netsetup` for devices whose netsetup is NAT (1) or LAN (0) (a dict
    /// `|=`: the key keeps its place, or comes last when the device's groups lack it).
    static func nodeConfig(_ device: DeviceInfo) -> JSONValue {
        var settings = DeviceSettingsText.entries([device]).first?.settings ?? []
        let label: String? = switch device.netsetup {
        case 0: "LAN"
        case 1: "NAT"
        default: nil
        }
        if let label {
            if let index = settings.firstIndex(where: { $0.key == "netsetup" }) {
                settings[index].value = .str(label)
            } else {
                settings.append(("netsetup", .str(label)))
            }
        }
        return .object(settings.map { ($0.key, JSONValue(python: $0.value)) })
    }

    /// Upstream's `IMAGE_FIELDS` through `get_images_tabular_data`'s own field renderer
    /// (`compatibility:tuple` shown as `compatibility`).
    static let imageFields = ["fullname", "user", "id", "in_use", "created", "compatibility:tuple"]

    static func image(_ row: ImageTable.Row) -> JSONValue {
        .object(imageFields.map { field in
            (String(field.prefix { $0 != ":" }), JSONValue(python: ImageTable.value(row, field)))
        })
    }

    /// `timestamp` in the unit asked (`float-s` / `float-ms`, as the log stream sends them),
    /// `line`, `issuer`, `stream`.
    static func log(_ row: LogRepository.Row, milliseconds: Bool) -> JSONValue {
        .object([
            ("timestamp", .float(milliseconds ? row.timestamp * 1000 : row.timestamp)),
            ("line", .string(row.line)),
            ("issuer", .string(row.issuer)),
            ("stream", .string(row.stream)),
        ])
    }
}
