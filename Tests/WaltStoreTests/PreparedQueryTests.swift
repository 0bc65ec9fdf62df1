import Synchronization
import Testing
@testable import WaltStore

extension StoreIntegrationTests {
    /// Statements prepared once per connection (`preparedQuery`), against the real cluster.
    @Suite struct PreparedQueries {
        static func byMAC(_ mac: String) -> SQL { "SELECT name FROM devices WHERE mac = \(mac)" }

        /// The statements this connection has prepared, as the server lists them.
        static func preparedCount(_ connection: PGConnection) throws -> Int {
            try connection.query("SELECT count(*) AS n FROM pg_prepared_statements").rows[0].decode("n")
        }

        @Test func preparedOnce_thenBoundWithNewValues() async throws {
            let store = try TestDatabase.shared().store
            try await store.query("DELETE FROM devices WHERE mac LIKE 'prep:%'")
            try await store.query("INSERT INTO devices (mac, name, type) VALUES ('prep:1', 'p-one', 'node'), ('prep:2', 'p-two', 'node')")
            let (names, before, after) = try await store.withConnection { connection in
                let before = try Self.preparedCount(connection)
                let names: [String] = try ["prep:1", "prep:2", "prep:3", "x'; DROP TABLE devices; --"].map { mac in
                    try connection.preparedQuery(Self.byMAC(mac)).rows.first?.decode("name") ?? "-"
                }
                return (names, before, try Self.preparedCount(connection))
            }
            #expect(names == ["p-one", "p-two", "-", "-"])
            #expect(after == before + 1)
            try await store.query("DELETE FROM devices WHERE mac LIKE 'prep:%'")
        }

        @Test func badStatement_failsClearly_connectionStaysUsable() async throws {
            let store = try TestDatabase.shared().store
            let error = await #expect(throws: StoreError.self) {
                try await store.query("SELECT nosuchcolumn FROM devices", prepared: true)
            }
            #expect(error?.kind == .server)
            #expect(error?.sqlstate == "42703")
            #expect(try await store.query("SELECT 1 AS one", prepared: true).rows[0].decode("one") == 1)
        }

        /// Texts beyond the limit still run, unprepared, and the server's cache stops growing.
        @Test func cacheIsBounded() async throws {
            let config = try TestDatabase.shared().createDatabase("walt_prepared_bound")
            let connection = try PGConnection(config)
            for index in 0..<(PGConnection.preparedLimit + 10) {
                let value: Int = try connection.preparedQuery("SELECT \(index) + \(unescaped: "\(index)") AS v").rows[0].decode("v")
                #expect(value == 2 * index)
            }
            #expect(try Self.preparedCount(connection) == PGConnection.preparedLimit)
        }

        /// A connection lost and replaced comes back without the old one's statements, and
        /// prepares them again instead of executing names the new session never knew.
        @Test func replacedConnection_preparesAgain() async throws {
            let store = try TestDatabase.shared().store
            #expect(try await store.query("SELECT 7 AS v", prepared: true).rows[0].decode("v") == 7)
            let attempts = Mutex(0)
            let value = try await store.withConnection(idempotent: true) { connection -> Int in
                let attempt = attempts.withLock { count -> Int in
                    count += 1
                    return count
                }
                _ = try connection.preparedQuery("SELECT 7 AS v")
                if attempt == 1 { try connection.query("SELECT pg_terminate_backend(pg_backend_pid())") }
                return try connection.preparedQuery("SELECT 7 AS v").rows[0].decode("v")
            }
            #expect(value == 7)
            #expect(attempts.withLock { $0 } == 2)
        }
    }
}
