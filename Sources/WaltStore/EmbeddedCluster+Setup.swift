#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import WaltCommon

extension EmbeddedCluster {
    /// The file of settings we own, rewritten at every start (port and socket may change).
    static let settingsFileName = "walt.conf"

    func prepareDirectories() throws(StoreError) {
        try FileSystem.createDirectories(stateDirectory)
        try account.checkReachable(stateDirectory)
        let clusterDirectory = stateDirectory + "/postgresql"
        try FileSystem.createDirectories(clusterDirectory, mode: 0o700)
        try FileSystem.chmod(clusterDirectory, 0o700)
        try account.own(clusterDirectory)
        try FileSystem.createDirectories(socketDirectory)
        try account.checkReachable(socketDirectory)
        try account.own(socketDirectory)
    }

    /// Runs initdb when there is no cluster yet, and refuses a cluster of another major
    /// version (its files cannot be read by these binaries: it needs pg_upgrade).
    func initializeIfNeeded() throws(StoreError) {
        if let version = FileSystem.read(dataDirectory + "/PG_VERSION") {
            let major = Int(version.split(separator: "\n").first ?? "") ?? 0
            guard major == binaries.majorVersion else {
                throw StoreError(
                    kind: .cluster,
                    message: "\(dataDirectory) was created by PostgreSQL \(major) but the installed "
                        + "server is \(binaries.majorVersion): upgrade it with pg_upgrade or remove it")
            }
            return
        }
        if FileSystem.isDirectory(dataDirectory) {
            throw StoreError(
                kind: .cluster,
                message: "\(dataDirectory) exists but holds no PostgreSQL cluster (no PG_VERSION): remove it")
        }
        let outcome = try account.command(
            binaries.initdb,
            [
                "--pgdata=\(dataDirectory)", "--username=\(account.superuser)",
                "--auth-local=peer", "--auth-host=scram-sha-256",
                "--encoding=UTF8", "--locale=C",
            ],
            in: stateDirectory
        ).runChecked()
        guard outcome.succeeded else {
            throw StoreError(
                kind: .cluster, message: "initdb failed (exit \(outcome.exitStatus)): \(outcome.output)")
        }
        let mainFile = dataDirectory + "/postgresql.conf"
        let main = FileSystem.read(mainFile) ?? ""
        try FileSystem.write(
            main + "\n# Added by walt-server-daemon: its settings, rewritten at each start.\n"
                + "include_if_exists = '\(Self.settingsFileName)'\n",
            to: mainFile, mode: 0o600)
        try account.own(mainFile)
    }

    /// Unix socket only, in our own directory; plus the caller's extra settings.
    func writeSettings() throws(StoreError) {
        var lines = [
            "# Written by walt-server-daemon at each start of the embedded cluster: edits are lost.",
            "listen_addresses = ''",
            "port = \(port)",
            "unix_socket_directories = \(Self.quoted(socketDirectory))",
        ]
        for key in settings.keys.sorted() {
            guard !key.isEmpty, key.allSatisfy({ $0 == "_" || $0 == "." || ("a"..."z").contains($0) }) else {
                throw StoreError(kind: .misuse, message: "invalid PostgreSQL setting name \"\(key)\"")
            }
            lines.append("\(key) = \(Self.quoted(settings[key] ?? ""))")
        }
        let path = dataDirectory + "/" + Self.settingsFileName
        try FileSystem.write(lines.joined(separator: "\n") + "\n", to: path, mode: 0o600)
        try account.own(path)
    }

    /// A postgresql.conf string value: single quotes doubled, backslashes escaped.
    static func quoted(_ value: String) -> String {
        var text = "'"
        for character in value {
            if character == "'" { text += "''" } else if character == "\\" { text += "\\\\" } else { text.append(character) }
        }
        return text + "'"
    }

    /// Creates the WalT database on first start. The name was validated by `init`, so it
    /// can appear as an identifier (CREATE DATABASE takes no parameters).
    func createDatabaseIfNeeded() throws(StoreError) {
        let connection = try PGConnection(connectionConfig.with(database: "postgres"))
        let existing = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(database)")
        if existing.isEmpty {
            try connection.query("CREATE DATABASE \(unescaped: "\"" + database + "\"")")
        }
    }
}

extension EmbeddedCluster {
    /// `start()` on a thread of its own (initdb and pg_ctl take seconds).
    public func start() async throws {
        try await DedicatedThread.run(name: "walt-pg-start") { try self.start() as Void }
    }

    /// `stop()` on a thread of its own.
    public func stop() async throws {
        try await DedicatedThread.run(name: "walt-pg-stop") { try self.stop() as Void }
    }

    /// `ensureRunning()` on a thread of its own.
    @discardableResult
    public func ensureRunning() async throws -> Bool {
        try await DedicatedThread.run(name: "walt-pg-check") { try self.ensureRunning() as Bool }
    }

    /// Checks every `interval` that the server is alive and restarts it if not, until the
    /// task is cancelled; `onEvent` hears about each restart (or failure to restart).
    public func keepRunning(
        checkEvery interval: Duration = .seconds(2),
        onEvent: @escaping @Sendable (Result<Void, any Error>) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled || isRunning { continue }
            do {
                try await ensureRunning()
                onEvent(.success(()))
            } catch {
                onEvent(.failure(error))
            }
        }
    }
}
