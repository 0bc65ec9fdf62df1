#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `~/.walt/config` on disk: found through `$HOME` (else the password database), as
/// Python's `expanduser`; a legacy `~/.waltrc` is moved there first; written with mode
/// 0600. Upstream has no environment variable naming another file, and neither do we.
public struct ConfigFile: Sendable {
    public let path: String
    let legacyPath: String

    public init(home: String) {
        path = home + "/.walt/config"
        legacyPath = home + "/.waltrc"
    }

    /// The file of the current user.
    public static func current() -> ConfigFile {
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty {
            return ConfigFile(home: home)
        }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir {
            return ConfigFile(home: String(cString: dir))
        }
        return ConfigFile(home: "/")
    }

    /// The configuration, or nil when there is no file yet. Legacy keys are migrated and
    /// the file rewritten (`migrated`), as upstream does.
    public func load() throws(ConfigError) -> (config: WaltConfig, migrated: Bool)? {
        if access(path, F_OK) != 0, access(legacyPath, F_OK) == 0 {
            mkdir(directory, 0o777)
            if rename(legacyPath, path) == 0 { chmod(path, 0o600) }
        }
        guard let text = try read() else { return nil }
        do {
            return try WaltConfig.parse(text)
        } catch {
            throw ConfigError(line: 0, "\(path), \(error.description)")
        }
    }

    /// Writes `config` in upstream's layout, mode 0600, creating `~/.walt` if needed.
    public func save(_ config: WaltConfig) throws(ConfigError) {
        mkdir(directory, 0o777)
        try TextFile.write(path, config.rendered(), mode: 0o600)
    }

    var directory: String {
        String(path.dropLast("/config".count))
    }

    private func read() throws(ConfigError) -> String? {
        try TextFile.read(path)
    }
}
