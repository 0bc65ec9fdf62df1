#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// What `walt-server-daemon` was asked to do, from its command line and environment.
public struct DaemonOptions: Sendable, Equatable {
    public var configPath: String = ServerConfig.defaultPath
    /// True when `--config` named the file: then it must exist.
    public var configRequired = false
    public var stateDirectory: String
    /// Runtime files of the services the daemon configures (named's pid file).
    public var runDirectory: String
    /// Empty means all interfaces, as upstream.
    public var bindHost: String = ""
    public var rpcPort: Int = WaltPorts.rpc
    public var streamPort: Int = WaltPorts.streams
    /// The web API and `/boot` (upstream's walt-server-httpd, port 80); 0 turns it off.
    /// `--http-port`, else `WALT_HTTPD_PORT`.
    public var httpPort: Int = 80
    /// How long an image no node uses stays mounted (upstream: 60 s); tests shorten it
    /// with `WALT_IMAGE_UNMOUNT_GRACE` (seconds).
    public var imageUnmountGrace: Double = 60

    public init(stateDirectory: String, runDirectory: String? = nil) {
        self.stateDirectory = stateDirectory
        self.runDirectory = runDirectory ?? (getuid() == 0 ? "/run/walt" : stateDirectory + "/run")
    }

    /// Default state directory: /var/lib/walt as root, $XDG_STATE_HOME/walt (or
    /// ~/.local/state/walt) otherwise, so a user can try the daemon without root.
    public static func defaultStateDirectory(uid: uid_t = getuid(), environment: (String) -> String? = Self.env) -> String {
        if uid == 0 { return "/var/lib/walt" }
        if let xdg = environment("XDG_STATE_HOME"), !xdg.isEmpty { return xdg + "/walt" }
        return (environment("HOME") ?? "/tmp") + "/.local/state/walt"
    }

    public static func env(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Parses the daemon's arguments (after the program name).
    public static func parse(_ arguments: ToolArguments) throws -> DaemonOptions {
        if let extra = arguments.positionals.first {
            throw ToolArguments.UsageError(message: "unexpected argument '\(extra)'")
        }
        var options = DaemonOptions(stateDirectory: arguments.options["--state-dir"] ?? defaultStateDirectory(),
                                    runDirectory: arguments.options["--run-dir"])
        if let config = arguments.options["--config"] {
            options.configPath = config
            options.configRequired = true
        }
        if let bind = arguments.options["--bind"] { options.bindHost = bind }
        if let port = arguments.options["--http-port"] ?? env("WALT_HTTPD_PORT") {
            guard let value = Int(port), (0...65535).contains(value) else {
                throw ToolArguments.UsageError(message: "invalid HTTP port '\(port)' (0 to 65535, 0 turns the service off)")
            }
            options.httpPort = value
        }
        if let grace = env("WALT_IMAGE_UNMOUNT_GRACE").flatMap(Double.init), grace >= 0 {
            options.imageUnmountGrace = grace
        }
        return options
    }
}
