/// How the daemon makes dhcpd, named and the NFS server take a new configuration: our keys
/// under server.conf's `services` (upstream only has `service-name` there).
///
/// The defaults are what a systemd server needs (upstream's `busctl` calls and `exportfs`);
/// a server without systemd (the demo, the tests) names its own commands. Commands run
/// through `/bin/sh -c`, so they may use `$(cat pidfile)`.
///
/// ```yaml
/// services:
///     dhcpd:
///         restart-command: systemctl restart walt-server-dhcpd
///     nfsd:
///         exports-format: ganesha
///         exports-file: /var/lib/walt/services/nfsd/walt.exports.conf
///         reload-command: kill -HUP $(cat /run/ganesha.pid)
///     firewall:
///         enabled: false
/// ```
public struct ServiceSettings: Sendable, Equatable {
    public enum ExportsFormat: String, Sendable, Equatable {
        /// `/etc/exports` lines, for the kernel server (`exportfs`).
        case kernel
        /// EXPORT blocks, for NFS-Ganesha (the userspace server).
        case ganesha
    }

    public var dhcpdRestart = Self.systemdCall("RestartUnit", "walt-server-dhcpd.service")
    public var namedRestart = Self.systemdCall("ReloadOrRestartUnit", "walt-server-named.service")
    public var exportsFormat = ExportsFormat.kernel
    /// Image exports (with the kernel format, persist exports go to a second file).
    public var exportsFile = "/etc/exports.d/walt.exports"
    public var persistExportsFile = "/etc/exports.d/walt-persist.exports"
    public var exportsReload = "exportfs -r -f"
    /// The iptables rules of `netsetup=NAT` (`firewall: enabled: false` for a daemon that
    /// shares its network namespace with a host whose firewall it must leave alone).
    public var firewall = true

    public init() {}

    /// Upstream restarts through systemd's D-Bus API rather than `systemctl`: it returns at
    /// once, and the daemon throttles the calls itself.
    static func systemdCall(_ operation: String, _ unit: String) -> String {
        "busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager \(operation) ss \(unit) replace"
    }

    static func knownKeys(_ service: String) -> Set<String> {
        switch service {
        case "dhcpd", "named": ["service-name", "restart-command"]
        case "nfsd": ["service-name", "exports-format", "exports-file", "persist-exports-file", "reload-command"]
        case "firewall": ["enabled"]
        default: ["service-name"]
        }
    }

    mutating func set(service: String, key: String, _ value: String, line: Int) throws(ConfigError) {
        switch (service, key) {
        case ("dhcpd", "restart-command"): dhcpdRestart = value
        case ("named", "restart-command"): namedRestart = value
        case ("nfsd", "reload-command"): exportsReload = value
        case ("nfsd", "exports-file"), ("nfsd", "persist-exports-file"):
            guard value.hasPrefix("/") else {
                throw ConfigError(line: line, "'services.nfsd.\(key)': '\(value)' is not an absolute path")
            }
            if key == "exports-file" { exportsFile = value } else { persistExportsFile = value }
        case ("firewall", "enabled"):
            switch value {
            case "true", "True", "yes": firewall = true
            case "false", "False", "no": firewall = false
            default: throw ConfigError(line: line, "'services.firewall.enabled': '\(value)' is not true or false")
            }
        case ("nfsd", "exports-format"):
            guard let format = ExportsFormat(rawValue: value) else {
                throw ConfigError(line: line, "'services.nfsd.exports-format': '\(value)' is not kernel or ganesha")
            }
            exportsFormat = format
        default:
            throw ConfigError(line: line, "unknown key 'services.\(service).\(key)'")
        }
    }
}
