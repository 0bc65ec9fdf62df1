import WaltCommon

/// The content of `~/.walt/config`: `walt.server`, `walt.username` and registry
/// credentials (`registries.<label>.username/password`), kept as an ordered tree so that
/// writing it back keeps upstream's group order. Passwords are held decoded.
public struct WaltConfig: Equatable, Sendable {
    public private(set) var tree: YAMLMapping

    /// An empty configuration (a first run): groups `walt` and `registries`, as upstream.
    public init() {
        tree = YAMLMapping()
        tree.ensureGroup("walt")
        tree.ensureGroup("registries")
    }

    /// Reads the file's text the way upstream's `get_config_from_file` does: legacy flat
    /// keys (`server`, `username`, `password`, `hub`) move into groups, and `migrated`
    /// says the file should be rewritten.
    public static func parse(_ text: String) throws(ConfigError) -> (config: WaltConfig, migrated: Bool) {
        var tree = try YAMLParser.parse(text)
        var migrated = false
        tree.ensureGroup("walt")
        tree.ensureGroup("registries")
        func move(_ key: String, to group: [String], as leaf: String) {
            guard let value = tree[key] else { return }
            tree[key] = nil
            tree.setLeaf(group + [leaf], value)
            migrated = true
        }
        if let hub = tree["hub"] {
            tree["hub"] = nil
            tree.setLeaf(["registries", "hub"], hub)
            migrated = true
        }
        if tree["registries"]?.mapping?["hub"]?.mapping == nil { tree.setLeaf(["registries", "hub"], .mapping(YAMLMapping())) }
        move("server", to: ["walt"], as: "server")
        if let username = tree["username"] {
            tree.setLeaf(["registries", "hub", "username"], username)
        }
        move("username", to: ["walt"], as: "username")
        move("password", to: ["registries", "hub"], as: "password")
        tree.removeEmptyNestedGroups(depth: 0)
        try tree.decodePasswords()
        var config = WaltConfig()
        config.tree = tree
        return (config, migrated)
    }

    /// `walt.server`; nil when missing or empty.
    public var server: String? {
        get { leaf(["walt", "server"]) }
        set { tree.setLeaf(["walt", "server"], newValue.map(YAMLValue.scalar)) }
    }

    /// `walt.username`; nil when missing or empty.
    public var username: String? {
        get { leaf(["walt", "username"]) }
        set { tree.setLeaf(["walt", "username"], newValue.map(YAMLValue.scalar)) }
    }

    /// The username and (decoded) password stored for registry `label` (`hub` = Docker Hub).
    public func registryCredentials(_ label: String) -> (username: String?, password: String?) {
        (leaf(["registries", label, "username"]), leaf(["registries", label, "password"]))
    }

    public mutating func setRegistryCredentials(_ label: String, username: String?, password: String?) {
        tree.setLeaf(["registries", label, "username"], username.map(YAMLValue.scalar))
        tree.setLeaf(["registries", label, "password"], password.map(YAMLValue.scalar))
    }

    private func leaf(_ path: [String]) -> String? {
        var node = YAMLValue.mapping(tree)
        for key in path {
            guard let next = node.mapping?[key] else { return nil }
            node = next
        }
        guard let text = node.text, !text.isEmpty else { return nil }
        return text
    }

    /// The file upstream's `ConfigFileSaver` writes for this configuration.
    public func rendered() -> String {
        ConfigFileLayout.render(tree)
    }
}
