/// The rows of one statement, copied out of libpq's `PGresult` right away.
///
/// Copying (text values into Swift strings) lets the result leave the connection's thread
/// as a plain `Sendable` value; WalT's values are short, so the copy is cheap.
public struct PGResult: Sendable {
    /// Column names in order.
    public let columns: [String]
    public let rows: [PGRow]
    /// Rows inserted, updated, deleted, copied or selected, as `PQcmdTuples` says (0 for
    /// statements that do not report a count).
    public let affectedRows: Int

    public init(columns: [String], rows: [[String?]], affectedRows: Int) {
        let index = PGRow.ColumnIndex(columns)
        self.columns = columns
        self.rows = rows.map { PGRow(values: $0, index: index) }
        self.affectedRows = affectedRows
    }

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }
    public var first: PGRow? { rows.first }

    /// Reads the result of libpq, which stays owned (and freed) by the caller.
    init(copying result: OpaquePointer, pq: Libpq) {
        let rowCount = Int(pq.ntuples(result))
        let columnCount = Int(pq.nfields(result))
        let names = (0..<columnCount).map { column in
            pq.fname(result, Int32(column)).map { String(cString: $0) } ?? ""
        }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var line: [String?] = []
            line.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if pq.getisnull(result, row, column) != 0 {
                    line.append(nil)
                } else {
                    line.append(pq.getvalue(result, row, column).map { String(cString: $0) } ?? "")
                }
            }
            values.append(line)
        }
        let tuples = pq.cmdTuples(result).map { String(cString: $0) } ?? ""
        self.init(columns: names, rows: values, affectedRows: Int(tuples) ?? 0)
    }
}

/// One result row: values by column index or name, raw or decoded.
public struct PGRow: Sendable {
    /// Shared by all rows of a result, so a name lookup costs one dictionary access.
    final class ColumnIndex: Sendable {
        let positions: [String: Int]
        init(_ columns: [String]) {
            var positions: [String: Int] = [:]
            // With duplicate names (a join), the first column wins, as in psycopg2's tuples.
            for (position, name) in columns.enumerated() where positions[name] == nil {
                positions[name] = position
            }
            self.positions = positions
        }
    }

    /// Raw text values; `nil` is SQL NULL.
    public let values: [String?]
    let index: ColumnIndex

    /// The raw text of a column by position; `nil` for NULL.
    public subscript(position: Int) -> String? { values[position] }

    /// The raw text of a column by name; `nil` for NULL or an unknown column.
    public subscript(column: String) -> String? {
        index.positions[column].flatMap { values[$0] }
    }

    /// Decodes a column: `let id: Int = try row.decode("id")`, or `Int?` when it may be NULL.
    public func decode<T: PGDecodable>(_ column: String, as type: T.Type = T.self) throws(StoreError) -> T {
        guard let position = index.positions[column] else {
            throw StoreError(kind: .invalidValue, message: "no column \"\(column)\" in the result")
        }
        do {
            return try T(postgresText: values[position])
        } catch {
            throw StoreError(kind: .invalidValue, message: "column \"\(column)\": \(error.message)")
        }
    }

    /// Decodes a column by position.
    public func decode<T: PGDecodable>(at position: Int, as type: T.Type = T.self) throws(StoreError) -> T {
        guard values.indices.contains(position) else {
            throw StoreError(kind: .invalidValue, message: "no column \(position) in the result")
        }
        return try T(postgresText: values[position])
    }
}
