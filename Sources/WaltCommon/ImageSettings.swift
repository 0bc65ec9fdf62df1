/// Where the daemon keeps node images: podman's store (our `images` section of server.conf;
/// upstream always uses the host's default store) and the directory of archives default
/// images are imported from, since this server pulls nothing from a registry.
///
/// ```yaml
/// images:
///     podman-root: /var/lib/walt/podman/root
///     podman-runroot: /run/walt/podman
///     containers-conf: /etc/walt/containers.conf
///     default-images-dir: /var/lib/walt/default-images
/// ```
public struct ImageSettings: Sendable, Equatable {
    /// `podman --root` (nil: podman's default store).
    public var podmanRoot: String?
    /// `podman --runroot`.
    public var podmanRunRoot: String?
    /// Exported as `CONTAINERS_CONF` to every podman run.
    public var containersConf: String?
    /// Archives (`*.tar`, docker-archive or oci-archive); nil: `<state-dir>/default-images`.
    public var defaultImagesDirectory: String?

    public init() {}

    static let knownKeys: Set<String> = ["podman-root", "podman-runroot", "containers-conf", "default-images-dir"]

    /// Sets one key, refusing relative paths (the daemon runs from `/`).
    mutating func set(_ key: String, _ value: String, line: Int) throws(ConfigError) {
        guard value.hasPrefix("/") else {
            throw ConfigError(line: line, "'images.\(key)': '\(value)' is not an absolute path")
        }
        switch key {
        case "podman-root": podmanRoot = value
        case "podman-runroot": podmanRunRoot = value
        case "containers-conf": containersConf = value
        default: defaultImagesDirectory = value
        }
    }
}
