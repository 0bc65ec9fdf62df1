import Foundation
import Synchronization
import Testing
@testable import WaltStore

extension StoreIntegrationTests {
    /// PostgreSQL going away under the store: restarts, crashes, killed connections.
    @Suite struct Resilience {
        /// Runs one query on each of the store's connections at once (each sleeps a little,
        /// so both threads get one).
        static func queryOnEveryConnection(_ store: PostgresStore) async throws -> [Int] {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<store.connectionCount {
                    group.addTask {
                        try await store.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)").rows[0].decode("pid")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }

        @Test func restartMidUseThenNextQueryWorks() async throws {
            let database = try TestDatabase.shared()
            let store = database.store
            let before = try await Self.queryOnEveryConnection(store)
            #expect(Set(before).count == store.connectionCount)
            try await store.query("INSERT INTO images (fullname) VALUES ('restart/kept:latest')")

            try await database.cluster.stop()
            #expect(!database.cluster.isRunning)
            try await database.cluster.start()

            let after = try await Self.queryOnEveryConnection(store)
            #expect(Set(after).isDisjoint(with: before))
            // The FATAL that the server sent the idle connections reached the notice log.
            #expect(TestDatabase.notices.all.contains { $0.contains("terminating connection") })
            let kept = try await store.query("SELECT fullname FROM images WHERE fullname = 'restart/kept:latest'")
            #expect(kept.count == 1)
        }

        @Test func queriesFailClearlyWhileDownThenRecover() async throws {
            let database = try TestDatabase.shared()
            try await database.cluster.stop()
            let error = await #expect(throws: StoreError.self) {
                try await database.store.query("INSERT INTO images (fullname) VALUES ('down/lost:latest')")
            }
            #expect(error?.isConnectionProblem == true)
            #expect(error?.message.contains("could not reconnect") == true)
            try await database.cluster.start()
            #expect(try await database.store.query("SELECT 1 AS one").count == 1)
            #expect(try await database.store.query("SELECT 1 FROM images WHERE fullname = 'down/lost:latest'").isEmpty)
        }

        @Test func killedConnectionIsReportedNotRetried() async throws {
            let store = try TestDatabase.shared().store
            let error = await #expect(throws: StoreError.self) {
                try await store.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            #expect(error?.kind == .connectionLost)
            #expect(error?.message.contains("server closed the connection unexpectedly") == true)
            #expect(error?.message.contains("\n") == false)
            #expect(error?.message.contains("reconnected") == true)
            #expect(error?.message.contains("was not retried") == true)
            #expect(try await store.query("SELECT 1 AS one").count == 1)
        }

        @Test func idempotentWorkIsRetriedOnce() async throws {
            let store = try TestDatabase.shared().store
            let attempts = Mutex(0)
            let value = try await store.withConnection(idempotent: true) { connection -> Int in
                let attempt = attempts.withLock { count -> Int in
                    count += 1
                    return count
                }
                if attempt == 1 { try connection.query("SELECT pg_terminate_backend(pg_backend_pid())") }
                return try connection.query("SELECT 42 AS v").rows[0].decode("v")
            }
            #expect(value == 42)
            #expect(attempts.withLock { $0 } == 2)
        }

        @Test func closedStoreRefusesWork() async throws {
            let database = try TestDatabase.shared()
            let store = try await PostgresStore.connect(database.cluster.connectionConfig, connections: 1)
            #expect(try await store.query("SELECT 1 AS one").count == 1)
            await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.query("SELECT 1") }
            #expect(error?.kind == .misuse)
        }

        @Test func crashedServerIsDetectedAndRestarted() async throws {
            let database = try TestDatabase.shared()
            let pid = try #require(database.cluster.runningPID)
            #expect(kill(pid, SIGKILL) == 0)
            let deadline = ContinuousClock.now + .seconds(10)
            while database.cluster.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!database.cluster.isRunning)
            #expect(try await database.cluster.ensureRunning() == true)
            #expect(try await database.cluster.ensureRunning() == false)
            #expect(try await database.store.query("SELECT count(*) AS n FROM devices").count == 1)
        }

        @Test func keepRunningRestartsACrashedServer() async throws {
            let database = try TestDatabase.shared()
            let restarted = AsyncStream<Bool>.makeStream()
            let watcher = Task {
                await database.cluster.keepRunning(checkEvery: .milliseconds(100)) { event in
                    restarted.continuation.yield((try? event.get()) != nil)
                }
            }
            defer { watcher.cancel() }
            let pid = try #require(database.cluster.runningPID)
            #expect(kill(pid, SIGKILL) == 0)
            var iterator = restarted.stream.makeAsyncIterator()
            // A restart can fail while the killed server's processes are still exiting;
            // the watcher simply tries again at its next check.
            var attempts = 0
            while let succeeded = await iterator.next(), !succeeded, attempts < 50 { attempts += 1 }
            #expect(database.cluster.isRunning)
            #expect(try await database.store.query("SELECT 1 AS one").count == 1)
        }
    }
}
