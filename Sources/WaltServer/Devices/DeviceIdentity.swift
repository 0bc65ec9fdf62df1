/// Pure rules of device registration (upstream `add_or_update_device`): what a DHCP lease
/// says about a device, and which names are acceptable.
public enum DeviceIdentity {
    public static let nodePrefix = "walt.node."
    public static let freeImageOwner = "waltplatform"

    /// The node model announced in the user class (iPXE) or else the vendor class, if any.
    public static func nodeModel(vci: String, uci: String) -> String? {
        for id in [uci, vci] where id.hasPrefix("walt.node") {
            // upstream strips exactly 10 characters ("walt.node.")
            let model = String(id.dropFirst(nodePrefix.count))
            return model.isEmpty ? nil : model
        }
        return nil
    }

    /// The image a new node of `model` boots until someone deploys another one.
    public static func defaultImage(model: String) -> String {
        "\(freeImageOwner)/\(model)-default:latest"
    }

    /// The name a device suggested (DHCP host-name), cut at the first dot, with runs of
    /// other characters than letters, digits and '-' replaced by one '-'.
    public static func cleanName(_ name: String) -> String {
        let head = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var out = ""
        var inRun = false
        for scalar in head.unicodeScalars {
            if isNameScalar(scalar) {
                out.unicodeScalars.append(scalar)
                inRun = false
            } else if !inRun {
                out += "-"
                inRun = true
            }
        }
        return out
    }

    /// Upstream's device-name rule: at least 2 characters, a letter first, then letters,
    /// digits or '-'.
    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard scalars.count >= 2, let first = scalars.first, isLetter(first) else { return false }
        return scalars.allSatisfy(isNameScalar)
    }

    /// `<type>-<last three MAC bytes>`, e.g. `node-12a4f5`; the caller adds `-2`, `-3`...
    /// on collisions.
    public static func generatedNamePrefix(type: String, mac: String) -> String {
        type == "server" ? "walt-server" : type + "-" + mac.split(separator: ":").dropFirst(3).joined()
    }

    /// Lower-case, zero-padded `aa:bb:cc:dd:ee:ff`, or nil if `text` is not a MAC address.
    /// Accepts dhcpd's unpadded form (`52:54:0:99:0:2`).
    public static func normalizedMAC(_ text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [String] = []
        for part in parts {
            guard (1...2).contains(part.count), let value = UInt8(part, radix: 16) else { return nil }
            let hex = String(value, radix: 16)
            bytes.append(hex.count == 1 ? "0" + hex : hex)
        }
        return bytes.joined(separator: ":")
    }

    /// True for a dotted-quad IPv4 address.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy(\.isASCII) && UInt8(part) != nil
                && !(part.count > 1 && part.hasPrefix("0"))
        }
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        isLetter(s) || ("0"..."9").contains(s) || s == "-"
    }
}
