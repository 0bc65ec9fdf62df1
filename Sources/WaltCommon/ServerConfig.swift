/// `/etc/walt/server.conf`, read the way every WalT server program reads it (services.md
/// §4.5): YAML with `network` (walt-net required, with a static `ip`), `registries`,
/// `services` and `vpn`, plus our `database` section (a libpq DSN; without it the daemon
/// runs its own embedded PostgreSQL) and our `images` section (podman's store).
///
/// Unknown keys are errors naming the key and its line, not ignored: a typo in a network
/// name or in `raw-device` would otherwise silently leave the platform unconfigured.
public struct ServerConfig: Sendable, Equatable {
    public static let defaultPath = "/etc/walt/server.conf"

    public struct Network: Sendable, Equatable {
        public enum Address: Sendable, Equatable {
            case staticIP(IPv4Network)
            case dhcp
        }

        public var name: String
        /// nil for a virtual-only network (the bridge has no physical port).
        public var rawDevice: String?
        public var vlan: Int?
        public var address: Address?
    }

    public struct Registry: Sendable, Equatable {
        public var label: String
        public var api: String
        public var description: String
        public var host: String?
        public var port: Int?
        public var networkProtocol: String?
        public var auth: String?
        public var repository: String?
    }

    public var networks: [Network]
    public var registries: [Registry]
    /// systemd unit names of services WalT drives (`nfsd` → `nfs-kernel-server.service`).
    public var serviceNames: [String: String]
    public var vpnEnabled: Bool
    public var databaseDSN: String?
    /// How the daemon drives dhcpd, named and the NFS server (our keys under `services`).
    public var services = ServiceSettings()
    /// podman's store and the default images' archives (our `images` section).
    public var images = ImageSettings()

    /// walt-net, which validation guarantees is present with a static address.
    public var waltNet: Network { networks.first { $0.name == "walt-net" }! }

    /// walt-net's server address and platform subnet.
    public var waltNetAddress: IPv4Network {
        guard case .staticIP(let network)? = waltNet.address else { preconditionFailure("validated at load") }
        return network
    }

    public static let hubRegistry = Registry(label: "hub", api: "docker-hub", description: "Public registry at hub.docker.com")

    /// What the daemon uses when no configuration file exists and none was asked for (a
    /// development machine): a virtual-only walt-net.
    public static let builtinDefault = ServerConfig(
        networks: [Network(name: "walt-net", rawDevice: nil, vlan: nil,
                           address: .staticIP(IPv4Network("192.168.152.1/22")!))],
        registries: [hubRegistry], serviceNames: ["nfsd": "nfs-kernel-server.service"],
        vpnEnabled: false, databaseDSN: nil)

    public init(networks: [Network], registries: [Registry], serviceNames: [String: String],
                vpnEnabled: Bool, databaseDSN: String?) {
        self.networks = networks
        self.registries = registries
        self.serviceNames = serviceNames
        self.vpnEnabled = vpnEnabled
        self.databaseDSN = databaseDSN
    }
}
