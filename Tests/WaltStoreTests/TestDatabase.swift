import Foundation
import Synchronization
import Testing
@testable import WaltStore

/// The real PostgreSQL cluster the integration suite runs against: created by
/// `EmbeddedCluster` in a fresh temporary directory when the suite starts and stopped
/// (and removed) when it ends, pass or fail.
///
/// Each run records its pid in `owner.pid`; a run that finds the directory of a dead run
/// (a crashed or killed test process) stops that cluster and removes it first, so no
/// postgres process outlives the run that started it for long.
final class TestDatabase: Sendable {
    @TaskLocal static var current: TestDatabase?

    static let directoryPrefix = "walt-store-tests-"
    /// Server messages the store received (instead of printing them on stderr).
    static let notices = NoticeLog()

    let directory: String
    let cluster: EmbeddedCluster
    let store: PostgresStore

    private init(directory: String, cluster: EmbeddedCluster, store: PostgresStore) {
        self.directory = directory
        self.cluster = cluster
        self.store = store
    }

    /// The database of the running suite; fails the test if there is none.
    static func shared() throws -> TestDatabase {
        try #require(current, "integration tests run inside the StoreIntegrationTests suite")
    }

    static func start() async throws -> TestDatabase {
        await removeLeftovers()
        // A short path under /tmp: the socket path must stay under 107 bytes, and when we
        // are root the postgres user must be able to enter it (hence 0755).
        let directory = "/tmp/\(directoryPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: false,
            attributes: [.posixPermissions: 0o755])
        try "\(getpid())\n".write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)
        let cluster = try EmbeddedCluster(
            stateDirectory: directory, port: 5432,
            settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"])
        do {
            try await cluster.start()
            let store = try await PostgresStore.connect(
                cluster.connectionConfig, connections: 2, onNotice: { TestDatabase.notices.append($0) })
            try await store.migrate()
            return TestDatabase(directory: directory, cluster: cluster, store: store)
        } catch {
            try? await cluster.stop()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    func shutdown() async {
        await store.close()
        do {
            try await cluster.stop()
        } catch {
            Issue.record("stopping the test cluster failed: \(error)")
        }
        if cluster.isRunning { Issue.record("postgres still running in \(directory)") }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops and removes clusters of earlier runs whose test process is gone.
    static func removeLeftovers() async {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for name in names where name.hasPrefix(directoryPrefix) {
            let directory = "/tmp/" + name
            let owner = (try? String(contentsOfFile: directory + "/owner.pid", encoding: .utf8))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let owner, kill(owner, 0) == 0 { continue }  // another run, still going
            if let leftover = try? EmbeddedCluster(stateDirectory: directory) {
                try? await leftover.stop()
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// A second database in the same cluster, for tests that need an empty one.
    func createDatabase(_ name: String) throws -> PGConnectionConfig {
        let admin = try PGConnection(cluster.connectionConfig.with(database: "postgres"))
        try admin.query("DROP DATABASE IF EXISTS \(unescaped: name)")
        try admin.query("CREATE DATABASE \(unescaped: name)")
        return cluster.connectionConfig.with(database: name)
    }
}

/// Collects notices so that tests can look at them.
final class NoticeLog: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Starts the cluster once around the whole integration suite and stops it afterwards.
struct WithTestDatabase: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let database = try await TestDatabase.start()
        do {
            try await TestDatabase.$current.withValue(database) { try await function() }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}

extension Trait where Self == WithTestDatabase {
    static var testDatabase: WithTestDatabase { WithTestDatabase() }
}

/// Every test that needs PostgreSQL lives in an extension of this suite, so that they
/// share one cluster and run one at a time (one of them restarts the server).
@Suite(.serialized, .testDatabase)
struct StoreIntegrationTests {}
