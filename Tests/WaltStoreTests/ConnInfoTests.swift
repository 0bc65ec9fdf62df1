import Testing
@testable import WaltStore

/// The conninfo string psql gets for `walt advanced sql`.
@Suite struct ConnInfoTests {
    @Test func testSocketParametersAreQuoted() {
        let config = PGConnectionConfig.socket(directory: "/var/lib/walt/pg run", port: 5433, database: "walt", user: "root")
        #expect(config.conninfo == "host='/var/lib/walt/pg run' port='5433' dbname='walt' user='root'")
    }

    @Test func testQuotesAndBackslashesAreEscaped() {
        #expect(PGConnectionConfig.dsn("host=db password='it''s'").conninfo == #"dbname='host=db password=\'it\'\'s\''"#)
        #expect(PGConnectionConfig(parameters: [("password", #"a\b"#)]).conninfo == #"password='a\\b'"#)
    }
}
