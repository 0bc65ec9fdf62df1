/// Validation of server.conf's YAML tree into a `ServerConfig`.
extension ServerConfig {
    /// Parses the text of a server.conf; errors carry the line at fault.
    public static func parse(_ text: String) throws(ConfigError) -> ServerConfig {
        let tree = try YAMLParser.parse(text, allowLists: true)
        try tree.refuseUnknown(["network", "registries", "services", "vpn", "database", "images"], at: "")
        guard let networkEntry = tree.entry("network") else { throw ConfigError(line: 0, "'network' is missing") }
        let networkTree = try networkEntry.requireMapping("network")
        var networks: [Network] = []
        for entry in networkTree.entries {
            networks.append(try parseNetwork(entry))
        }
        guard let waltNet = networks.first(where: { $0.name == "walt-net" }) else {
            throw ConfigError(line: networkEntry.line, "'network.walt-net' is missing")
        }
        guard case .staticIP(let address)? = waltNet.address else {
            let line = networkTree.entry("walt-net")?.line ?? 0
            throw ConfigError(line: line, "'network.walt-net.ip' is missing (the server's address on the platform network, like 192.168.183.1/24)")
        }
        if address.prefixLength > 30 {
            throw ConfigError(line: networkTree.entry("walt-net")?.line ?? 0,
                              "'network.walt-net.ip' must leave room for nodes: \(address) is a /\(address.prefixLength)")
        }
        var config = ServerConfig.builtinDefault
        config.networks = networks
        if let entry = tree.entry("registries"), entry.value != .null {
            guard let items = entry.value.items else { throw ConfigError(line: entry.line, "'registries' must be a list") }
            config.registries = try items.enumerated().map { index, item throws(ConfigError) in
                try parseRegistry(item, line: entry.line, index: index)
            }
            try checkUniqueLabels(config.registries, line: entry.line)
        }
        if let entry = tree.entry("services"), entry.value != .null {
            for service in try entry.requireMapping("services").entries {
                let path = "services.\(service.key)"
                let body = try service.requireMapping(path)
                try body.refuseUnknown(ServiceSettings.knownKeys(service.key), at: path + ".")
                for setting in body.entries {
                    guard let text = setting.value.nonNullText else {
                        throw ConfigError(line: setting.line, "'\(path).\(setting.key)' is empty")
                    }
                    if setting.key == "service-name" {
                        config.serviceNames[service.key] = text
                    } else {
                        try config.services.set(service: service.key, key: setting.key, text, line: setting.line)
                    }
                }
            }
        }
        if let entry = tree.entry("vpn"), let vpn = entry.value.mapping {
            config.vpnEnabled = vpnIsEnabled(vpn)
        }
        if let entry = tree.entry("database"), entry.value != .null {
            let database = try entry.requireMapping("database")
            try database.refuseUnknown(["dsn"], at: "database.")
            guard let dsn = database["dsn"]?.text, !dsn.isEmpty else {
                throw ConfigError(line: entry.line, "'database.dsn' is missing (a libpq connection string, like 'host=db.example.org dbname=walt')")
            }
            config.databaseDSN = dsn
        }
        if let entry = tree.entry("images"), entry.value != .null {
            let images = try entry.requireMapping("images")
            try images.refuseUnknown(ImageSettings.knownKeys, at: "images.")
            for setting in images.entries {
                guard let text = setting.value.nonNullText else { continue }
                try config.images.set(setting.key, text, line: setting.line)
            }
        }
        return config
    }

    private static func parseNetwork(_ entry: YAMLMapping.Entry) throws(ConfigError) -> Network {
        let path = "network.\(entry.key)"
        let body = try entry.requireMapping(path)
        try body.refuseUnknown(["raw-device", "vlan", "ip"], at: path + ".")
        var network = Network(name: entry.key, rawDevice: nil, vlan: nil, address: nil)
        if let device = body.entry("raw-device"), let name = device.value.nonNullText {
            guard isInterfaceName(name) else {
                throw ConfigError(line: device.line, "'\(path).raw-device': '\(name)' is not a network interface name")
            }
            network.rawDevice = name
        }
        if let vlan = body.entry("vlan"), let text = vlan.value.nonNullText {
            guard let number = Int(text), (1...4094).contains(number) else {
                throw ConfigError(line: vlan.line, "'\(path).vlan': '\(text)' is not a VLAN number (1 to 4094)")
            }
            // As upstream's sanitize_netconf: a VLAN needs a physical interface to tag.
            if network.rawDevice != nil { network.vlan = number }
        }
        if let ip = body.entry("ip"), let text = ip.value.nonNullText {
            if text == "dhcp" {
                guard entry.key != "walt-net" else {
                    throw ConfigError(line: ip.line, "'\(path).ip' must be a static address (like 192.168.183.1/24), not dhcp: the server is the platform's DHCP server")
                }
                network.address = .dhcp
            } else if let address = IPv4Network(text) {
                network.address = .staticIP(address)
            } else {
                throw ConfigError(line: ip.line, "'\(path).ip': '\(text)' is not an IPv4 address with its prefix (like 192.168.183.1/24)")
            }
        }
        return network
    }

    private static func parseRegistry(_ item: YAMLValue, line: Int, index: Int) throws(ConfigError) -> Registry {
        let path = "registries[\(index)]"
        guard let body = item.mapping else { throw ConfigError(line: line, "'\(path)' must be a mapping") }
        try body.refuseUnknown(["label", "api", "description", "host", "port", "protocol", "auth", "repository"], at: path + ".")
        func text(_ key: String) throws(ConfigError) -> String {
            guard let value = body[key]?.nonNullText else { throw ConfigError(line: body.entries.first?.line ?? line, "'\(path).\(key)' is missing") }
            return value
        }
        let label = try text("label")
        let api = try text("api")
        guard label == "hub" || (!label.isEmpty && !["walt", "docker"].contains(label)
                                 && label.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })) else {
            throw ConfigError(line: body.entry("label")?.line ?? line, "'\(path).label': '\(label)' is not a valid label ([a-z0-9-]+, not walt or docker)")
        }
        guard ["docker-hub", "docker-registry-v2", "jfrog-artifactory"].contains(api) else {
            throw ConfigError(line: body.entry("api")?.line ?? line, "'\(path).api': '\(api)' is not one of docker-hub, docker-registry-v2, jfrog-artifactory")
        }
        var registry = Registry(label: label, api: api, description: try text("description"))
        registry.host = body["host"]?.nonNullText
        if let port = body.entry("port"), let value = port.value.nonNullText {
            guard let number = Int(value), (1...65535).contains(number) else {
                throw ConfigError(line: port.line, "'\(path).port': '\(value)' is not a TCP port")
            }
            registry.port = number
        }
        registry.networkProtocol = body["protocol"]?.nonNullText
        registry.auth = body["auth"]?.nonNullText
        registry.repository = body["repository"]?.nonNullText
        return registry
    }

    private static func checkUniqueLabels(_ registries: [Registry], line: Int) throws(ConfigError) {
        var seen: Set<String> = []
        for registry in registries where !seen.insert(registry.label).inserted {
            throw ConfigError(line: line, "'registries': label '\(registry.label)' appears twice")
        }
    }

    /// Upstream's `sanitize_conf` for `vpn`: enabled only with exactly its four keys (or
    /// the legacy three without `enabled`); anything else means disabled.
    private static func vpnIsEnabled(_ vpn: YAMLMapping) -> Bool {
        let keys = Set(vpn.entries.map(\.key))
        let settings: Set<String> = ["ssh-entrypoint", "http-entrypoint", "boot-mode"]
        if let enabled = vpn["enabled"]?.text {
            return enabled.lowercased() == "true" && keys == settings.union(["enabled"])
        }
        return keys == settings
    }

    private static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name.allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))
        }
    }
}

extension YAMLMapping {
    func refuseUnknown(_ known: Set<String>, at path: String) throws(ConfigError) {
        for entry in entries where !known.contains(entry.key) {
            throw ConfigError(line: entry.line, "unknown key '\(path)\(entry.key)'")
        }
    }
}

extension YAMLMapping.Entry {
    func requireMapping(_ path: String) throws(ConfigError) -> YAMLMapping {
        guard let mapping = value.mapping else { throw ConfigError(line: line, "'\(path)' must be a mapping") }
        return mapping
    }
}

extension YAMLValue {
    /// The scalar's text, nil for YAML's null spellings (`null`, `~`, empty).
    var nonNullText: String? {
        guard let text, !["null", "Null", "NULL", "~", ""].contains(text) else { return nil }
        return text
    }
}

extension ServerConfig {
    /// What loading found: the configuration, and whether it came from the file.
    public enum Source: Sendable, Equatable {
        case file(String)
        /// No file at the default path: the built-in default is in use.
        case builtinDefault
    }

    /// Reads `path`. A missing file is an error when `required` (the admin named it, or
    /// a tool that cannot work without it); otherwise the built-in default is used.
    /// Errors read `<path>, line N: <problem>`.
    public static func load(path: String, required: Bool) throws(ConfigError) -> (ServerConfig, Source) {
        guard let text = try TextFile.read(path) else {
            if required { throw ConfigError(line: 0, "missing configuration file at \(path)") }
            return (builtinDefault, .builtinDefault)
        }
        do {
            return (try parse(text), .file(path))
        } catch {
            throw ConfigError(line: 0, "invalid configuration at \(path), \(error.description)")
        }
    }
}
