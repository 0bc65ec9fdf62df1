/// An IPv4 interface address with its prefix, as server.conf writes walt-net's
/// (`192.168.183.1/24`: the server's address and the platform subnet in one value, which
/// Python's `ip_network(strict=False)` accepts).
public struct IPv4Network: Sendable, Equatable, CustomStringConvertible {
    /// The address as written (host bits kept: it is the server's own address).
    public let address: UInt32
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Network.parseAddress(String(parts[0])),
              parts[1].count <= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let prefix = Int(parts[1]), (0...32).contains(prefix)
        else { return nil }
        self.address = address
        prefixLength = prefix
    }

    public init(address: UInt32, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    public var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << (32 - UInt32(prefixLength)) }
    public var networkAddress: UInt32 { address & mask }
    public var broadcastAddress: UInt32 { networkAddress | ~mask }

    /// `192.168.183.1`
    public var host: String { Self.format(address) }
    /// `192.168.183.0/24`, as PostgreSQL's `cidr` wants it.
    public var subnet: String { "\(Self.format(networkAddress))/\(prefixLength)" }
    /// `255.255.255.0`
    public var netmask: String { Self.format(mask) }

    public var description: String { "\(host)/\(prefixLength)" }

    public func contains(_ ip: String) -> Bool {
        guard let value = Self.parseAddress(ip) else { return false }
        return value & mask == networkAddress
    }

    /// The dotted quad of `text` as a number, or nil.
    public static func parseAddress(_ text: String) -> UInt32? {
        guard NetworkAddress.isIPv4(text) else { return nil }
        return text.split(separator: ".").reduce(UInt32(0)) { $0 << 8 | UInt32($1)! }
    }

    public static func format(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }
}
