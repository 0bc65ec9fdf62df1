import Testing
@testable import WaltStore

extension StoreIntegrationTests {
    @Suite struct Migrations {
        /// Upstream WalT 10.0's columns and types (server.md §2.2), as information_schema
        /// reports them: `walt advanced sql` users must see exactly these.
        static let upstreamColumns: [String: [String: String]] = [
            "devices": ["mac": "text", "ip": "text", "name": "text", "type": "text",
                        "virtual": "boolean", "conf": "jsonb"],
            "topology": ["mac1": "text", "port1": "integer", "mac2": "text", "port2": "integer",
                         "confirmed": "boolean", "last_seen": "timestamp with time zone"],
            "images": ["fullname": "text"],
            "nodes": ["mac": "text", "image": "text", "model": "text"],
            "switches": ["mac": "text", "model": "text"],
            "switchports": ["mac": "text", "port": "integer", "name": "text"],
            "logstreams": ["id": "integer", "issuer_mac": "text", "name": "text", "mode": "USER-DEFINED"],
            "logs": ["stream_id": "integer", "timestamp": "timestamp with time zone", "line": "text"],
            "checkpoints": ["username": "text", "timestamp": "timestamp without time zone", "name": "text"],
            "poeoff": ["mac": "text", "port": "integer", "reason": "text"],
            "vpnauth": ["vpnmac": "text", "pubkeycert": "text", "certid": "text",
                        "device_label": "text", "revoked": "boolean"],
            "vpnnodes": ["mac": "text", "vpnmac": "text"],
        ]

        @Test func applyOnceThenNothing() throws {
            let config = try TestDatabase.shared().createDatabase("walt_migration_test")
            let connection = try PGConnection(config)
            let migrator = Migrator(WaltSchema.migrations)
            #expect(try migrator.apply(on: connection) == [1])
            #expect(try migrator.apply(on: connection) == [])
            #expect(try Migrator.appliedVersions(on: connection) == [1])

            let later = Migration(version: 2, name: "test column", statements: [
                "ALTER TABLE images ADD COLUMN test_note TEXT",
            ])
            #expect(try Migrator(WaltSchema.migrations + [later]).apply(on: connection) == [2])
            #expect(try Migrator(WaltSchema.migrations + [later]).apply(on: connection) == [])
            // An older binary refuses a newer schema rather than misreading it.
            #expect(throws: StoreError.self) { try migrator.apply(on: connection) }
        }

        @Test func failedMigrationLeavesNoTrace() throws {
            let config = try TestDatabase.shared().createDatabase("walt_migration_fail")
            let connection = try PGConnection(config)
            let broken = Migration(version: 2, name: "broken", statements: [
                "CREATE TABLE half_done (id INTEGER)",
                "ALTER TABLE no_such_table ADD COLUMN x INTEGER",
            ])
            let error = #expect(throws: StoreError.self) {
                try Migrator(WaltSchema.migrations + [broken]).apply(on: connection)
            }
            #expect(error?.message.contains("migration 2 (broken) failed") == true)
            #expect(try Migrator.appliedVersions(on: connection) == [1])
            #expect(try connection.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'").isEmpty)
        }

        @Test func schemaMatchesUpstream() async throws {
            let store = try TestDatabase.shared().store
            let result = try await store.query("""
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = ANY(\(array: WaltSchema.tables))
                """)
            var found: [String: [String: String]] = [:]
            for row in result.rows {
                found[try row.decode("table_name"), default: [:]][try row.decode("column_name")] =
                    try row.decode("data_type")
            }
            #expect(found == Self.upstreamColumns)
            let modes = try await store.query("SELECT unnest(enum_range(NULL::logmode))::text AS m")
            #expect(try modes.rows.map { try $0.decode("m", as: String.self) } == ["line", "chunk"])
            let indexes = try await store.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            let names = Set(try indexes.rows.map { try $0.decode("indexname", as: String.self) })
            for index in ["devices_ip_idx", "logstreams_issuer_mac_name_idx", "logs_timestamp_idx",
                          "checkpoints_username_idx"] {
                #expect(names.contains(index))
            }
        }
    }
}
