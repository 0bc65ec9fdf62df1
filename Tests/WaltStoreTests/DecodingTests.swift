import Testing
@testable import WaltStore

@Suite struct DecodingTests {
    let result = PGResult(
        columns: ["id", "name", "ip", "virtual", "ratio", "blob"],
        rows: [["7", "node1", nil, "t", "NaN", "\\x00ff"], ["x", "", "10.0.0.1", "f", "2.5", "\\x"]],
        affectedRows: 2)

    @Test func typedAccessors() throws {
        let row = try #require(result.first)
        #expect(try row.decode("id") == 7)
        #expect(try row.decode("name") == "node1")
        #expect(try row.decode("ip", as: String?.self) == nil)
        #expect(try row.decode("virtual") == true)
        #expect(try row.decode("ratio", as: Double.self).isNaN)
        #expect(try row.decode("blob") == [UInt8]([0x00, 0xff]))
        #expect(row["name"] == "node1")
        #expect(row[2] == nil)
        #expect(try row.decode(at: 0) == 7)
    }

    @Test func nullAndGarbageAreErrors() throws {
        let first = try #require(result.first)
        let second = result.rows[1]
        #expect(throws: StoreError.self) { try first.decode("ip", as: String.self) }
        #expect(throws: StoreError.self) { try second.decode("id", as: Int.self) }
        #expect(throws: StoreError.self) { try first.decode("nope", as: String?.self) }
        #expect(try second.decode("blob") == [UInt8]())
    }

    @Test func redactsPasswords() {
        let uri = PGConnectionConfig.dsn("postgresql://walt:secret@db.example/walt")
        #expect(uri.redactedDescription == "dsn=postgresql://walt:***@db.example/walt")
        let keywords = PGConnectionConfig.dsn("host=db password=secret dbname=walt")
        #expect(!keywords.redactedDescription.contains("secret"))
    }
}
