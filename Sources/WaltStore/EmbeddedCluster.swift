#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import WaltCommon
import Synchronization

/// A private PostgreSQL cluster under the daemon's state directory: the default when no
/// database is configured, and what the store tests run against.
///
/// Layout under `stateDirectory`: `postgresql/data` (the cluster), `postgresql/server.log`,
/// and `pg-socket/` (the Unix socket; the cluster listens on no TCP address). `port` only
/// names the socket (`.s.PGSQL.<port>`). The programs run as the `postgres` user when the
/// daemon is root (see `ClusterAccount`). All methods block; the `async` overloads run
/// them on a thread of their own. Lifecycle calls are serialised by a lock.
public final class EmbeddedCluster: Sendable {
    public let stateDirectory: String
    public let port: Int
    /// The database created for WalT (upstream's `WALT_DBNAME`).
    public let database: String
    public let dataDirectory: String
    public let socketDirectory: String
    public let logFile: String
    public let binaries: PostgresBinaries
    /// Extra `postgresql.conf` settings, e.g. `["fsync": "off"]` for throwaway test clusters.
    public let settings: [String: String]
    let account: ClusterAccount
    private let lifecycle = Mutex(())

    /// Finds the PostgreSQL programs and the user to run them as; creates nothing yet.
    public init(
        stateDirectory: String, port: Int = 5432, database: String = "walt",
        socketDirectory: String? = nil, settings: [String: String] = [:],
        binaries: PostgresBinaries? = nil
    ) throws(StoreError) {
        guard database.first.map({ $0 == "_" || ("a"..."z").contains($0) }) == true,
              database.allSatisfy({ $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw StoreError(kind: .misuse, message: "database name \"\(database)\" must match [a-z_][a-z0-9_]*")
        }
        let state = stateDirectory.count > 1 && stateDirectory.hasSuffix("/")
            ? String(stateDirectory.dropLast()) : stateDirectory
        self.stateDirectory = state
        self.port = port
        self.database = database
        self.dataDirectory = state + "/postgresql/data"
        self.logFile = state + "/postgresql/server.log"
        self.socketDirectory = socketDirectory ?? state + "/pg-socket"
        self.settings = settings
        if let binaries { self.binaries = binaries } else { self.binaries = try PostgresBinaries.find() }
        self.account = try ClusterAccount.current()
        // sockaddr_un.sun_path holds 108 bytes including the final NUL.
        let socketPath = "\(self.socketDirectory)/.s.PGSQL.\(port)"
        guard socketPath.utf8.count <= 107 else {
            throw StoreError(
                kind: .cluster,
                message: "socket path \(socketPath) is longer than the 107 bytes Unix sockets allow: "
                    + "pass a shorter socketDirectory")
        }
    }

    /// How to reach the `walt` database as the superuser (peer authentication).
    public var connectionConfig: PGConnectionConfig {
        .socket(directory: socketDirectory, port: port, database: database, user: account.superuser)
    }

    /// The database superuser's name (the daemon's own user name).
    public var superuser: String { account.superuser }

    /// The postmaster's pid if one is alive for this data directory.
    public var runningPID: pid_t? {
        guard let pidFile = FileSystem.read(dataDirectory + "/postmaster.pid"),
              let firstLine = pidFile.split(separator: "\n").first,
              let pid = pid_t(firstLine), pid > 0
        else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        // A stale pid file may name a pid now used by something else, and a postmaster
        // killed under a lazy reaper lingers as a zombie: neither is a running server.
        if let stat = FileSystem.read("/proc/\(pid)/stat") {
            guard stat.contains("(postgres)") else { return nil }
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == "Z" || state == "X" { return nil }
        }
        return pid
    }

    public var isRunning: Bool { runningPID != nil }

    /// Stops the server with `pg_ctl stop -m fast` (open transactions are rolled back,
    /// clients disconnected). Does nothing if it is not running.
    public func stop() throws(StoreError) {
        try lifecycle.withLock { _ throws(StoreError) in
            guard isRunning else { return }
            let outcome = try account.command(
                binaries.pgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "-s"],
                in: stateDirectory
            ).runChecked()
            if !outcome.succeeded, isRunning {
                throw StoreError(
                    kind: .cluster,
                    message: "pg_ctl stop failed (exit \(outcome.exitStatus)): \(outcome.output)")
            }
        }
    }

    /// Creates the cluster if needed (initdb), starts it if it is not running, and creates
    /// the database if it does not exist.
    public func start() throws(StoreError) {
        try lifecycle.withLock { _ throws(StoreError) in
            try prepareDirectories()
            try initializeIfNeeded()
            try writeSettings()
            if !isRunning { try startServer() }
            try createDatabaseIfNeeded()
        }
    }

    /// Restarts the server if it died (crash, OOM killer, someone's `kill`). Returns true
    /// when it had to start it.
    @discardableResult
    public func ensureRunning() throws(StoreError) -> Bool {
        if isRunning { return false }
        try start()
        return true
    }
}
