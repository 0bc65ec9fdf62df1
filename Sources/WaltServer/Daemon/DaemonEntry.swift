// WaltServer: walt-server-daemon. A ServiceGroup of services (store, RPC on 12345,
// streams on 12347, log intake, timers) over PostgreSQL, with NIO for the network.
// Only this personality starts NIO threads or loads libpq.
import Logging
import WaltCommon

/// `walt-server-daemon`: parses its options, then runs the server in the foreground.
public enum DaemonEntry: PersonalityEntry {
    static let name = Personality.serverDaemon.rawValue
    static let help = """
        Usage: walt-server-daemon [--config FILE] [--state-dir DIR] [--run-dir DIR] [--bind ADDRESS]
                                  [--http-port PORT]

        Runs the WalT server in the foreground (systemd starts it as walt-server.service):
        client RPC on TCP 12345, streams (logs, shells, transfers) on TCP 12347, node
        registration and bootup tracking, the web API and HTTP boot files on port 80,
        state in PostgreSQL. With no database configured, it runs its own PostgreSQL
        cluster under the state directory. With a server.conf, it also writes dhcpd.conf,
        the DNS zone, the node boot tree and the NFS exports, and restarts those services
        when devices change.

        Options:
          --config FILE      server configuration (default /etc/walt/server.conf)
          --state-dir DIR    state directory (default /var/lib/walt as root,
                             $XDG_STATE_HOME/walt otherwise)
          --run-dir DIR      runtime files of configured services (default /run/walt
                             as root, STATE/run otherwise)
          --bind ADDRESS     address to listen on (default: all interfaces)
          --http-port PORT   port of the web API and /boot (default 80, or
                             $WALT_HTTPD_PORT; 0 turns it off)
          -h, --help         show this help

        Stops cleanly on SIGTERM or SIGINT.

        """

    public static func main(_ arguments: [String]) -> Int32 {
        let parsed: ToolArguments
        let options: DaemonOptions
        do {
            parsed = try ToolArguments(arguments, valued: ["--config", "--state-dir", "--run-dir", "--bind", "--http-port"])
            if parsed.wantsHelp {
                StandardStream.output.write(help)
                return 0
            }
            options = try DaemonOptions.parse(parsed)
        } catch {
            StandardStream.error.write("\(name): \(error) (see '\(name) --help')\n")
            return 2
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = DaemonOptions.env("WALT_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: name)
        return BlockingRunner.run { await Daemon.run(options, logger: logger) }
    }
}
