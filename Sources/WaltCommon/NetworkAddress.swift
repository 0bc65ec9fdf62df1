/// Address syntax checks shared by the daemon and walt-dhcp-event: values that come from
/// the network (DHCP leases, RPC arguments) are validated before they reach SQL or files.
public enum NetworkAddress {
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
}
