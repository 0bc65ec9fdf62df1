import Testing
@testable import WaltStore

@Suite struct TimestampTests {
    @Test func encodesUTC() {
        #expect(PGTimestamp(secondsSince1970: 0).postgresText == "1970-01-01 00:00:00.000000+00")
        #expect(PGTimestamp(secondsSince1970: 1_714_564_800.25).postgresText == "2024-05-01 12:00:00.250000+00")
        #expect(PGTimestamp(secondsSince1970: -0.5).postgresText == "1969-12-31 23:59:59.500000+00")
        #expect(PGTimestamp(secondsSince1970: 951_782_400).postgresText == "2000-02-29 00:00:00.000000+00")
    }

    @Test func decodesOffsets() throws {
        #expect(try PGTimestamp(postgresText: "2024-05-01 12:00:00+00").secondsSince1970 == 1_714_564_800)
        #expect(try PGTimestamp(postgresText: "2024-05-01 14:00:00.5+02").secondsSince1970 == 1_714_564_800.5)
        #expect(try PGTimestamp(postgresText: "2024-05-01 08:30:00-03:30").secondsSince1970 == 1_714_564_800)
        #expect(try PGTimestamp(postgresText: "2024-05-01 12:00:00").secondsSince1970 == 1_714_564_800)
        #expect(throws: StoreError.self) { try PGTimestamp(postgresText: "yesterday") }
        #expect(throws: StoreError.self) { try PGTimestamp(postgresText: nil) }
    }

    @Test(arguments: [0.0, 1.5, 1_700_000_000.123456, -86_400.25, 4_102_444_800])
    func roundTrips(_ seconds: Double) throws {
        let text = PGTimestamp(secondsSince1970: seconds).postgresText
        let back = try PGTimestamp(postgresText: text).secondsSince1970
        #expect(abs(back - seconds) < 0.000_001)
    }
}

extension StoreIntegrationTests.Queries {
    @Test func timestampsRoundTripThroughTheServer() async throws {
        let store = try TestDatabase.shared().store
        let moment = PGTimestamp(secondsSince1970: 1_714_564_800.123456)
        let row = try #require(try await store.query("""
            SELECT \(moment)::timestamptz AS t,
                   extract(epoch FROM \(moment)::timestamptz)::float8 AS epoch,
                   (\(moment)::timestamptz AT TIME ZONE 'Asia/Kolkata')::text AS local
            """).first)
        #expect(try row.decode("t") == moment)
        #expect(abs(try row.decode("epoch", as: Double.self) - moment.secondsSince1970) < 0.000_001)
        #expect(row["local"] == "2024-05-01 17:30:00.123456")
    }

    @Test func connectsWithADSN() async throws {
        let cluster = try TestDatabase.shared().cluster
        let dsn = "host=\(cluster.socketDirectory) port=\(cluster.port) dbname=walt user=\(cluster.superuser)"
        let connection = try PGConnection(.dsn(dsn))
        #expect(try connection.query("SELECT current_user AS u").rows[0].decode("u") == cluster.superuser)
    }
}
