import Testing
@testable import WaltStore

/// Statements, values, errors and transactions against the real test cluster.
extension StoreIntegrationTests {
    @Suite struct Queries {
        @Test func connectsAndReportsVersions() async throws {
            let store = try TestDatabase.shared().store
            let row = try #require(try await store.query("SELECT current_database() AS db, 1 + \(2) AS three").first)
            #expect(try row.decode("db") == "walt")
            #expect(try row.decode("three") == 3)
            let versions = try await store.withConnection { ($0.serverVersion, try PGConnection.libraryVersion()) }
            #expect(versions.0 >= 100000)
            #expect(versions.1 >= 100000)
        }

        @Test(arguments: [
            "it's", "back\\slash", "double \"quotes\"", "x'; DROP TABLE devices; --",
            "unicode: é ü 中文 🚀", "tab\tnew\nline\r", "$1", "", "NULL",
        ])
        func oddCharactersRoundTrip(_ text: String) async throws {
            let store = try TestDatabase.shared().store
            let mac = "odd:\(text.hashValue)"
            try await store.query("DELETE FROM devices WHERE mac = \(mac)")
            try await store.query("INSERT INTO devices (mac, name, type) VALUES (\(mac), \(text), 'node')")
            let row = try #require(try await store.query("SELECT name FROM devices WHERE mac = \(mac)").first)
            #expect(try row.decode("name") == text)
            let tables = try await store.query("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'devices'")
            #expect(try tables.rows[0].decode("n") == 1)
            try await store.query("DELETE FROM devices WHERE mac = \(mac)")
        }

        @Test func nulIsRefusedClearly() async throws {
            let store = try TestDatabase.shared().store
            let error = await #expect(throws: StoreError.self) {
                try await store.query("INSERT INTO devices (mac, name) VALUES ('nul', \("a\u{0}b"))")
            }
            #expect(error?.kind == .invalidValue)
            #expect(error?.message.contains("NUL") == true)
            #expect(try await store.query("SELECT 1 FROM devices WHERE mac = 'nul'").isEmpty)
        }

        @Test func nullsAndTypedValues() async throws {
            let store = try TestDatabase.shared().store
            let ip: String? = nil
            try await store.query("""
                INSERT INTO devices (mac, ip, name, type, virtual, conf)
                VALUES (\("nulls:1"), \(ip), \("vnode"), 'node', \(true), \("{\"netsetup\": 1}")::jsonb)
                """)
            let row = try #require(try await store.query(
                "SELECT ip, virtual, conf->>'netsetup' AS netsetup, \(2.5)::float8 * 2 AS five, \([UInt8]([1, 2]))::bytea AS raw FROM devices WHERE mac = \("nulls:1")"
            ).first)
            #expect(try row.decode("ip", as: String?.self) == nil)
            #expect(try row.decode("virtual") == true)
            #expect(try row.decode("netsetup") == 1)
            #expect(try row.decode("five") == 5.0)
            #expect(try row.decode("raw") == [UInt8]([1, 2]))
            let deleted = try await store.query("DELETE FROM devices WHERE mac = ANY(\(array: ["nulls:1", "other"]))")
            #expect(deleted.affectedRows == 1)
        }

        @Test func uniqueViolationCarriesSQLState() async throws {
            let store = try TestDatabase.shared().store
            try await store.query("INSERT INTO devices (mac, type) VALUES ('dup:1', 'node')")
            let error = await #expect(throws: StoreError.self) {
                try await store.query("INSERT INTO devices (mac, type) VALUES ('dup:1', 'node')")
            }
            #expect(error?.sqlstate == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(error?.kind == .server)
            #expect(error?.query == "INSERT INTO devices (mac, type) VALUES ('dup:1', 'node')")
            try await store.query("DELETE FROM devices WHERE mac = 'dup:1'")
        }

        @Test func syntaxErrorIsAServerError() async throws {
            let store = try TestDatabase.shared().store
            let error = await #expect(throws: StoreError.self) { try await store.query("SELEC 1") }
            #expect(error?.sqlstate == "42601")
            #expect(error?.kind == .server)
        }

        struct Boom: Error, Equatable {}

        @Test func rollbackRethrowsAndLeavesNothing() async throws {
            let store = try TestDatabase.shared().store
            await #expect(throws: Boom.self) {
                try await store.transaction { connection in
                    try connection.query("INSERT INTO devices (mac, type) VALUES ('tx:1', 'node')")
                    throw Boom()
                }
            }
            #expect(try await store.query("SELECT 1 FROM devices WHERE mac = 'tx:1'").isEmpty)
            // A failing statement inside also rolls back everything and rethrows its error.
            let error = await #expect(throws: StoreError.self) {
                try await store.transaction { connection in
                    try connection.query("INSERT INTO devices (mac, type) VALUES ('tx:2', 'node')")
                    try connection.query("INSERT INTO devices (mac, type) VALUES ('tx:2', 'node')")
                }
            }
            #expect(error?.isUniqueViolation == true)
            #expect(try await store.query("SELECT 1 FROM devices WHERE mac = 'tx:2'").isEmpty)
            // The connection is usable afterwards, outside any transaction.
            #expect(try await store.withConnection { $0.inTransaction } == false)
        }

        @Test func commitAndNestedSavepoints() async throws {
            let store = try TestDatabase.shared().store
            let count = try await store.transaction { connection -> Int in
                try connection.query("INSERT INTO devices (mac, type) VALUES ('tx:3', 'node')")
                do {
                    try connection.transaction { inner in
                        try inner.query("INSERT INTO devices (mac, type) VALUES ('tx:4', 'node')")
                        throw Boom()
                    }
                } catch is Boom {}
                return try connection.query("SELECT mac FROM devices WHERE mac LIKE 'tx:%'").count
            }
            #expect(count == 1)
            let rows = try await store.query("SELECT mac FROM devices WHERE mac LIKE 'tx:%'")
            #expect(try rows.rows.map { try $0.decode("mac", as: String.self) } == ["tx:3"])
            try await store.query("DELETE FROM devices WHERE mac = 'tx:3'")
        }

        @Test func concurrentQueriesAllComplete() async throws {
            let store = try TestDatabase.shared().store
            let sum = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 1...40 {
                    group.addTask { try await store.query("SELECT \(value)::int AS v").rows[0].decode("v") }
                }
                return try await group.reduce(0, +)
            }
            #expect(sum == 820)
        }
    }
}
