import WaltCommon

/// A lease as `walt-dhcp-event` receives it from dhcpd, with upstream's filtering and
/// naming rules (services.md §2). Pure: parsing and decisions only.
public struct DHCPEvent: Equatable, Sendable {
    public var forceName: Bool
    public var vci: String
    public var uci: String
    public var ip: String
    /// Normalised (zero-padded, lower-case).
    public var mac: String
    public var name: String
    public var isKnown: Bool
    public var deviceType: String

    public enum Parsed: Equatable, Sendable {
        case lease(DHCPEvent)
        /// Not a `commit` event: upstream prints it and does nothing.
        case otherEvent(String)
    }

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Positional, like dhcpd's `execute()`: `commit [--force-name] VCI UCI IP MAC NAME
    /// IS_KNOWN DEV_TYPE`. Values may start with '-' (a device chooses its vendor class).
    public static func parse(_ arguments: [String]) throws(Invalid) -> Parsed {
        guard let event = arguments.first else { throw Invalid(description: "missing event name (expected \"commit\")") }
        guard event == "commit" else { return .otherEvent(event) }
        var rest = Array(arguments.dropFirst())
        let forceName = rest.first == "--force-name"
        if forceName { rest.removeFirst() }
        guard rest.count == 7 else {
            throw Invalid(description: "expected 7 values after \"commit\" (VCI UCI IP MAC NAME IS_KNOWN DEV_TYPE), got \(rest.count)")
        }
        guard NetworkAddress.isIPv4(rest[2]) else { throw Invalid(description: "invalid IP address '\(rest[2])'") }
        guard let mac = NetworkAddress.normalizedMAC(rest[3]) else { throw Invalid(description: "invalid MAC address '\(rest[3])'") }
        guard rest[5] == "0" || rest[5] == "1" else { throw Invalid(description: "IS_KNOWN must be 0 or 1, not '\(rest[5])'") }
        return .lease(DHCPEvent(forceName: forceName, vci: rest[0], uci: rest[1], ip: rest[2], mac: mac,
                                name: rest[4], isKnown: rest[5] == "1", deviceType: rest[6]))
    }

    /// False when the daemon has nothing to learn: a registered node or switch, or a known
    /// unknown device that still does not announce `walt.node.<model>`.
    public var needsRegistration: Bool {
        guard isKnown else { return true }
        if deviceType != "unknown" { return false }
        return uci.hasPrefix("walt.node.") || vci.hasPrefix("walt.node.")
    }

    /// The name to suggest: nil when the device sent none; else, unless `--force-name`, the
    /// host-name with `-<last 6 MAC hex digits>` appended (once), lower-cased.
    public var suggestedName: String? {
        guard !name.isEmpty else { return nil }
        if forceName { return name }
        let suffix = "-" + String(mac.filter { $0 != ":" }.suffix(6))
        let withSuffix = name.hasSuffix(suffix) ? name : name + suffix
        return withSuffix.lowercased()
    }
}
