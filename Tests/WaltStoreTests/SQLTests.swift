import Testing
@testable import WaltStore

@Suite struct SQLTests {
    @Test func valuesBecomeNumberedBinds() {
        let name = "node1"
        let port = 12
        let sql: SQL = "SELECT * FROM devices WHERE name = \(name) AND port = \(port) AND virtual = \(true)"
        #expect(sql.text == "SELECT * FROM devices WHERE name = $1 AND port = $2 AND virtual = $3")
        #expect(sql.binds == ["node1", "12", "true"])
    }

    @Test func injectionAttemptsStayData() {
        let hostile = "x'; DROP TABLE devices; --"
        let sql: SQL = "SELECT 1 WHERE name = \(hostile)"
        #expect(sql.text == "SELECT 1 WHERE name = $1")
        #expect(!sql.text.contains("DROP"))
        #expect(sql.binds == [hostile])
    }

    @Test func optionalNilIsNull() {
        let ip: String? = nil
        let port: Int? = 3
        let sql: SQL = "UPDATE devices SET ip = \(ip), port = \(port)"
        #expect(sql.text == "UPDATE devices SET ip = $1, port = $2")
        #expect(sql.binds == [nil, "3"])
    }

    @Test func unescapedIsRawText() {
        let sql: SQL = "SELECT \(unescaped: "mac, name") FROM \(unescaped: "devices") ORDER BY \(unescaped: "name")"
        #expect(sql.text == "SELECT mac, name FROM devices ORDER BY name")
        #expect(sql.binds.isEmpty)
    }

    @Test func fragmentsAreRenumbered() {
        let condition: SQL = "name = \("a") OR name = \("b")"
        var sql: SQL = "SELECT * FROM devices WHERE type = \("node") AND (\(condition))"
        sql.append(" LIMIT \(5)")
        #expect(sql.text == "SELECT * FROM devices WHERE type = $1 AND (name = $2 OR name = $3) LIMIT $4")
        #expect(sql.binds == ["node", "a", "b", "5"])
    }

    @Test func joinedBuildsMultiRowValues() {
        let rows: [SQL] = [(1, "a"), (2, "b")].map { "(\($0.0), \($0.1))" }
        let sql: SQL = "INSERT INTO t VALUES \(rows.joined(separator: ", "))"
        #expect(sql.text == "INSERT INTO t VALUES ($1, $2), ($3, $4)")
        #expect(sql.binds == ["1", "a", "2", "b"])
    }

    @Test func arraysAreOneParameter() {
        let sql: SQL = "SELECT * FROM devices WHERE mac = ANY(\(array: ["a", "b\"c", "d\\e", "NULL", ""]))"
        #expect(sql.text == "SELECT * FROM devices WHERE mac = ANY($1)")
        #expect(sql.binds == [#"{"a","b\"c","d\\e","NULL",""}"#])
    }

    @Test func valueEncodings() {
        #expect(Double.infinity.postgresText == "Infinity")
        #expect((-Double.infinity).postgresText == "-Infinity")
        #expect(Double.nan.postgresText == "NaN")
        #expect(1.5.postgresText == "1.5")
        #expect(false.postgresText == "false")
        #expect([UInt8]([0x00, 0xab, 0x10]).postgresText == "\\x00ab10")
    }

    @Test func nulInAParameterIsRefusedBeforeSending() {
        let sql: SQL = "SELECT \("a\u{0}b")"
        #expect(throws: StoreError.self) {
            try PGConnection.refuseNul(text: sql.text, binds: sql.binds)
        }
    }

    @Test func copyFieldsAreEscaped() {
        var buffer: [UInt8] = []
        #expect(PGConnection.appendCopyField("a\tb\nc\\d\re", to: &buffer))
        #expect(String(decoding: buffer, as: UTF8.self) == "a\\tb\\nc\\\\d\\re")
        buffer = []
        #expect(PGConnection.appendCopyField(nil, to: &buffer))
        #expect(String(decoding: buffer, as: UTF8.self) == "\\N")
        #expect(!PGConnection.appendCopyField("a\u{0}", to: &buffer))
    }
}
