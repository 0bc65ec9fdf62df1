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

    /// Switches recognised by the vendor part of their MAC (upstream's probe modules; only
    /// Netgear's there): type and model, or nil.
    public static func probeSwitch(mac: String) -> (type: String, model: String)? {
        let netgear = ["6c:b0:ce", "28:c6:8e", "44:94:fc"]
        return netgear.contains(where: mac.hasPrefix) ? ("switch", "netgear") : nil
    }

    /// The image a new node of `model` boots until someone deploys another one.
    public static func defaultImage(model: String) -> String {
        "\(freeImageOwner)/\(model)-default:latest"
    }

    /// The name a device suggested (DHCP host-name), cut at the first dot, with runs of
    /// other characters than letters, digits and '-' replaced by one '-'.
    public static func cleanName(_ name: String) -> String {
        let head = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return DashRuns.replacing(head, keeping: isNameScalar)
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

    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s)
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        isLetter(s) || ("0"..."9").contains(s) || s == "-"
    }
}
