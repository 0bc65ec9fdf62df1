import WaltCommon

/// Where a new virtual node lives on walt-net (upstream `generate_vnode_info`): a random
/// MAC under QEMU's prefix `52:54:00` that no device has yet, and the lowest address of
/// the subnet that is neither the server's nor a device's. Also the name of its tap.
enum VirtualNodeAddress {
    static let macPrefix = "52:54:00"

    /// A free MAC; `random` gives 24 random bits per try (a parameter so tests can pin it).
    static func freeMAC(taken: Set<String>, random: () -> UInt32) -> String {
        while true {
            let bits = random() & 0xff_ffff
            let mac = macPrefix + [bits >> 16, bits >> 8 & 0xff, bits & 0xff].map { ":" + hex2($0) }.joined()
            if !taken.contains(mac) { return mac }
        }
    }

    /// The lowest host address of `network` left; nil when the subnet is full.
    static func lowestFreeIP(network: IPv4Network, taken: [String]) -> String? {
        guard network.prefixLength <= 30 else { return nil }
        let used = Set(taken.compactMap(IPv4Network.parseAddress)).union([network.address])
        let first = network.networkAddress + 1, last = network.broadcastAddress - 1
        return (first...last).first { !used.contains($0) }.map(IPv4Network.format)
    }

    /// The node's tap on walt-net: `wvn` and the MAC's last three bytes (interface names
    /// have 15 characters at most; the prefix is fixed, so these bytes tell vnodes apart).
    static func tapName(mac: String) -> String {
        "wvn" + mac.split(separator: ":").suffix(3).joined()
    }

    private static func hex2(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return text.count == 1 ? "0" + text : text
    }
}
