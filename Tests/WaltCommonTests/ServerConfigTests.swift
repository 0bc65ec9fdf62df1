import Testing
import WaltCommon

/// server.conf: the YAML lists it needs, upstream's schema and defaults, and errors that
/// name the key and the line.
struct ServerConfigTests {
    static let upstreamExample = """

        # WalT server configuration file.
        # Run 'walt-server-setup --edit-conf' to update.

        # network configuration
        # ---------------------
        network:
            # platform network
            walt-net:
                raw-device: eth1
                vlan: 33
                ip: 192.168.183.1/24
            walt-adm:
                raw-device: eth2
                ip: dhcp

        # image registries
        # ----------------
        registries:
        -   label: hub
            api: docker-hub
            description: Public registry at hub.docker.com
        -   label: local
            api: docker-registry-v2
            description: Local registry
            host: myreg.example.org
            port: 5000
            protocol: http
            auth: none

        # VPN configuration
        # -----------------
        vpn:
            enabled: false

        """

    @Test func testUpstreamExample() throws {
        let config = try ServerConfig.parse(Self.upstreamExample)
        #expect(config.waltNetAddress.host == "192.168.183.1")
        #expect(config.waltNetAddress.subnet == "192.168.183.0/24")
        #expect(config.waltNetAddress.netmask == "255.255.255.0")
        #expect(config.waltNet.rawDevice == "eth1")
        #expect(config.waltNet.vlan == 33)
        #expect(config.networks.map(\.name) == ["walt-net", "walt-adm"])
        #expect(config.networks[1].address == .dhcp)
        #expect(config.registries.map(\.label) == ["hub", "local"])
        #expect(config.registries[1].port == 5000)
        #expect(config.registries[1].networkProtocol == "http")
        #expect(config.serviceNames["nfsd"] == "nfs-kernel-server.service")
        #expect(!config.vpnEnabled)
        #expect(config.databaseDSN == nil)
    }

    @Test func testDefaults_vlanWithoutDevice_nullDevice_dsn() throws {
        let config = try ServerConfig.parse("""
            network:
                walt-net:
                    raw-device: null
                    vlan: 12
                    ip: 10.0.0.1/16
            services:
                nfsd:
                    service-name: nfs-server.service
            database:
                dsn: 'host=db.example.org dbname=walt'
            """)
        #expect(config.waltNet.rawDevice == nil)
        #expect(config.waltNet.vlan == nil)  // dropped without a raw device, as upstream
        #expect(config.registries == [ServerConfig.hubRegistry])
        #expect(config.serviceNames["nfsd"] == "nfs-server.service")
        #expect(config.databaseDSN == "host=db.example.org dbname=walt")
        #expect(config.waltNetAddress.contains("10.0.200.3"))
        #expect(!config.waltNetAddress.contains("10.1.0.3"))
    }

    @Test(arguments: [
        // (vpn section, enabled?) after upstream's sanitize_conf
        ("vpn:\n    enabled: true\n    ssh-entrypoint: a\n    http-entrypoint: b\n    boot-mode: enforced\n", true),
        ("vpn:\n    enabled: true\n    ssh-entrypoint: a\n", false),
        ("vpn:\n    ssh-entrypoint: a\n    http-entrypoint: b\n    boot-mode: permissive\n", true),
        ("vpn:\n    enabled: false\n    ssh-entrypoint: a\n", false),
    ])
    func testVPNSanitizing(section: String, enabled: Bool) throws {
        let config = try ServerConfig.parse("network:\n    walt-net:\n        ip: 192.168.1.1/24\n" + section)
        #expect(config.vpnEnabled == enabled)
    }

    @Test(arguments: [
        ("", "'network' is missing"),
        ("network:\n    walt-adm:\n        ip: dhcp\n", "line 1: 'network.walt-net' is missing"),
        ("network:\n    walt-net:\n        ip: dhcp\n", "line 3: 'network.walt-net.ip' must be a static address"),
        ("network:\n    walt-net:\n        raw-device: eth0\n", "line 2: 'network.walt-net.ip' is missing"),
        ("network:\n    walt-net:\n        ip: 192.168.1.1/32\n", "line 2: 'network.walt-net.ip' must leave room for nodes"),
        ("network:\n    walt-net:\n        ip: 192.168.1.300/24\n", "line 3: 'network.walt-net.ip': '192.168.1.300/24' is not an IPv4 address"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\n        raw-device: 'eth 1'\n", "line 4: 'network.walt-net.raw-device': 'eth 1' is not a network interface name"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\n        raw-device: eth1\n        vlan: 5000\n", "line 5: 'network.walt-net.vlan': '5000' is not a VLAN number"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nregistries:\n-   label: Hub!\n    api: docker-hub\n    description: x\n", "line 5: 'registries[0].label': 'Hub!' is not a valid label"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nregistries:\n-   label: a\n    api: s3\n    description: x\n", "line 6: 'registries[0].api': 's3' is not one of"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nregistries: hub\n", "line 4: 'registries' must be a list"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\ndatabase:\n    url: x\n", "line 5: unknown key 'database.url'"),
        ("network: [a]\n", "line 1: flow collections are not supported"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nservices:\n    dhcpd:\n        reload-command: x\n", "line 6: unknown key 'services.dhcpd.reload-command'"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nservices:\n    nfsd:\n        exports-format: nfs4\n", "line 6: 'services.nfsd.exports-format': 'nfs4' is not kernel or ganesha"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nservices:\n    nfsd:\n        exports-file: exports\n", "line 6: 'services.nfsd.exports-file': 'exports' is not an absolute path"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nservices:\n    named:\n        restart-command:\n", "line 6: 'services.named.restart-command' is empty"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nimages:\n    podman-rot: /x\n", "line 5: unknown key 'images.podman-rot'"),
        ("network:\n    walt-net:\n        ip: 10.0.0.1/24\nimages:\n    podman-root: x\n", "line 5: 'images.podman-root': 'x' is not an absolute path"),
    ])
    func testErrors_nameKeyAndLine(text: String, problem: String) {
        #expect {
            _ = try ServerConfig.parse(text)
        } throws: { error in
            "\(error)".hasPrefix(problem)
        }
    }

    @Test func testImages_storeAndArchives() throws {
        let absent = try ServerConfig.parse("network:\n    walt-net:\n        ip: 10.0.0.1/24\n").images
        #expect(absent == ImageSettings())
        let images = try ServerConfig.parse("""
            network:
                walt-net:
                    ip: 10.0.0.1/24
            images:
                podman-root: /srv/podman/root
                podman-runroot: /run/walt/podman
                containers-conf: /etc/walt/containers.conf
                default-images-dir: /srv/default-images
            """).images
        #expect(images.podmanRoot == "/srv/podman/root" && images.podmanRunRoot == "/run/walt/podman")
        #expect(images.containersConf == "/etc/walt/containers.conf" && images.defaultImagesDirectory == "/srv/default-images")
    }

    @Test func testServiceCommands_defaultsAndOverrides() throws {
        let defaults = try ServerConfig.parse("network:\n    walt-net:\n        ip: 10.0.0.1/24\n").services
        #expect(defaults.dhcpdRestart.hasSuffix("RestartUnit ss walt-server-dhcpd.service replace"))
        #expect(defaults.namedRestart.hasSuffix("ReloadOrRestartUnit ss walt-server-named.service replace"))
        #expect(defaults.exportsFormat == .kernel && defaults.exportsFile == "/etc/exports.d/walt.exports")
        #expect(defaults.exportsReload == "exportfs -r -f")
        let config = try ServerConfig.parse("""
            network:
                walt-net:
                    ip: 10.0.0.1/24
            services:
                dhcpd:
                    restart-command: systemctl restart walt-server-dhcpd
                nfsd:
                    service-name: nfs-ganesha.service
                    exports-format: ganesha
                    exports-file: /etc/ganesha/walt.conf
                    reload-command: kill -HUP $(cat /run/ganesha.pid)

            """)
        #expect(config.services.dhcpdRestart == "systemctl restart walt-server-dhcpd")
        #expect(config.services.exportsFormat == .ganesha && config.services.exportsFile == "/etc/ganesha/walt.conf")
        #expect(config.services.exportsReload == "kill -HUP $(cat /run/ganesha.pid)")
        #expect(config.serviceNames["nfsd"] == "nfs-ganesha.service")
        #expect(config.services.namedRestart == defaults.namedRestart)
    }

    @Test func testYAMLLists_nestedAndScalar_andEmptyFlow() throws {
        let tree = try YAMLParser.parse("""
            a:
              - x
              - 'y z'  # comment
              -
              - - inner
            b:
            - k: 1
              l: 2
            - k: 3
            c: []
            d: {}
            e: 5
            """, allowLists: true)
        #expect(tree["a"] == .sequence([.scalar("x"), .scalar("y z"), .null, .sequence([.scalar("inner")])]))
        let b = try #require(tree["b"]?.items)
        #expect(b.count == 2)
        #expect(b[0].mapping?["l"]?.text == "2")
        #expect(b[1].mapping?["k"]?.text == "3")
        #expect(tree["c"] == .sequence([]))
        #expect(tree["d"] == .mapping(YAMLMapping()))
        #expect(tree["e"]?.text == "5")
    }

    @Test func testYAMLLists_refusedUnlessAllowed_andBadIndentation() {
        #expect(throws: ConfigError(line: 2, "lists are not supported")) { try YAMLParser.parse("a:\n- x\n") }
        #expect(throws: ConfigError(line: 1, "the top level must be a mapping, not a list")) {
            try YAMLParser.parse("- x\n", allowLists: true)
        }
        #expect(throws: ConfigError(line: 3, "unexpected indentation")) {
            try YAMLParser.parse("a:\n- x\n    y: 1\n", allowLists: true)
        }
    }

    @Test func testYAMLNonASCII_scannedByCodePoint() throws {
        // Non-ASCII keys, values and list items keep their bytes; escapes decode to their
        // scalars; a quote followed by a combining accent (one grapheme cluster, two code
        // points) still ends the string, as in PyYAML, so the accent is text after it.
        let tree = try YAMLParser.parse("""
            é: valeur été  # commentaire
            l:
              - ünï
              - "\\u00e9\\x41\\U0001F600"
            """, allowLists: true)
        #expect(tree["é"]?.text == "valeur été")
        #expect(tree["l"] == .sequence([.scalar("ünï"), .scalar("éA😀")]))
        #expect(throws: ConfigError(line: 1, "unexpected text after the value of clé")) {
            try YAMLParser.parse("clé: 'x'\u{301}\n")
        }
        #expect(throws: ConfigError(line: 1, "unknown escape '\\é' in a double-quoted string")) {
            try YAMLParser.parse("a: \"\\é\"\n")
        }
        #expect(throws: ConfigError(line: 1, "a plain value cannot start with '%'")) { try YAMLParser.parse("a: %x\n") }
    }

    @Test func testLoad_missingFile() throws {
        let (config, source) = try ServerConfig.load(path: "/nonexistent/server.conf", required: false)
        #expect(source == .builtinDefault)
        #expect(config.waltNetAddress.subnet == "192.168.152.0/22")
        #expect(throws: ConfigError(line: 0, "missing configuration file at /nonexistent/server.conf")) {
            try ServerConfig.load(path: "/nonexistent/server.conf", required: true)
        }
    }
}
