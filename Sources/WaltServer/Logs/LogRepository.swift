import WaltStore

/// Logs in PostgreSQL: batch inserts, stream registration, history and counts, with
/// upstream's table layout (`logstreams`, `logs`) and query semantics.
public struct LogRepository: Sendable {
    let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    /// One history row as clients get it.
    public struct Row: Sendable, Equatable {
        public var timestamp: Double
        public var line: String
        public var issuer: String
        public var stream: String
    }

    /// Inserts a batch with `COPY` in one transaction. Lines of streams deleted meanwhile
    /// (a forgotten device) are dropped, as upstream: the batch's streams are looked up
    /// and locked first (`FOR KEY SHARE`, what the foreign key check itself takes), so none
    /// can vanish before the commit. That makes the per-row foreign key trigger on
    /// `logs.stream_id` redundant, and it is half of PostgreSQL's cost per line: when the
    /// daemon is a superuser (always with the embedded cluster) the transaction runs with
    /// `session_replication_role = replica`, which skips it (`logs` has no other trigger).
    /// Throughput figures: docs/operations.md, "Benchmarks". NUL bytes, which PostgreSQL
    /// text cannot hold, are removed.
    public func insert(_ records: [LogRecord]) async throws {
        guard !records.isEmpty else { return }
        let streams = Array(Set(records.map(\.streamID)))
        try await store.transaction { db in
            let found = try db.query(
                "SELECT id FROM logstreams WHERE id = ANY(\(array: streams)::int[]) ORDER BY id FOR KEY SHARE")
            var live = Set<Int>()
            for row in found.rows { live.insert(try row.decode("id")) }
            guard !live.isEmpty else { return }
            try db.query("""
                SELECT set_config('session_replication_role', 'replica', true)
                WHERE current_setting('is_superuser') = 'on'
                """)
            let kept = records.lazy.filter { live.contains($0.streamID) }
            try db.copyIn("COPY logs (stream_id, timestamp, line) FROM STDIN", rows: kept.map { record -> [String?] in
                [String(record.streamID), PGTimestamp(secondsSince1970: record.timestamp).postgresText,
                 record.line.contains("\0") ? record.line.replacingAll("\0", with: "") : record.line]
            })
        }
    }

    /// The id of stream `name` of device `issuerMAC`, created on first use.
    public func streamID(issuerMAC: String, name: String, mode: String = "line") async throws -> Int {
        try await store.transaction { db in
            if let row = try db.query(
                "SELECT id FROM logstreams WHERE issuer_mac = \(issuerMAC) AND name = \(name) ORDER BY id LIMIT 1").first {
                return try row.decode("id")
            }
            let inserted = try db.query(
                "INSERT INTO logstreams (issuer_mac, name, mode) VALUES (\(issuerMAC), \(name), \(mode)::logmode) RETURNING id")
            guard let row = inserted.first else { throw StoreError(kind: .invalidValue, message: "no id returned") }
            return try row.decode("id")
        }
    }

    /// Issuer and stream names of some streams.
    public func streamInfo(_ ids: [Int]) async throws -> [Int: LogStreamInfo] {
        let result = try await store.query(
            """
            SELECT s.id, d.name AS issuer, s.name AS stream FROM logstreams s, devices d
            WHERE s.id = ANY(\(array: ids)::int[]) AND s.issuer_mac = d.mac
            """, idempotent: true)
        var info: [Int: LogStreamInfo] = [:]
        for row in result.rows {
            info[try row.decode("id")] = LogStreamInfo(issuer: row["issuer"] ?? "", stream: row["stream"] ?? "")
        }
        return info
    }

    /// History rows matching `query`, oldest first.
    public func history(_ query: LogQuery) async throws -> [Row] {
        let sql: SQL = """
            SELECT EXTRACT(EPOCH FROM l.timestamp)::float8 AS ts, l.line, d.name AS issuer, s.name AS stream
            FROM devices d, logstreams s, logs l WHERE \(Self.whereClause(query)) ORDER BY l.timestamp
            """
        let result = try await store.query(sql, idempotent: true)
        return try result.rows.map { row in
            Row(timestamp: try row.decode("ts"), line: row["line"] ?? "", issuer: row["issuer"] ?? "",
                stream: row["stream"] ?? "")
        }
    }

    public func count(_ query: LogQuery) async throws -> Int {
        let result = try await store.query(
            "SELECT count(*) AS n FROM devices d, logstreams s, logs l WHERE \(Self.whereClause(query))", idempotent: true)
        return try result.first?.decode("n") ?? 0
    }

    /// Upstream's constraints; `(?e)` restricts PostgreSQL to POSIX extended syntax.
    static func whereClause(_ query: LogQuery) -> SQL {
        var parts: [SQL] = ["s.issuer_mac = d.mac", "l.stream_id = s.id"]
        if let issuers = query.issuers { parts.append("d.name = ANY(\(array: issuers)::text[])") }
        if let pattern = query.streamsRegexp { parts.append("s.name ~ \("(?e)" + pattern)") }
        if query.excludeConsoles { parts.append("s.name !~ 'console$'") }
        if let pattern = query.loglineRegexp { parts.append("l.line ~ \("(?e)" + pattern)") }
        if let from = query.history?.from {
            parts.append("l.timestamp > \(PGTimestamp(secondsSince1970: from))::timestamptz")
        }
        if let to = query.history?.to {
            parts.append("l.timestamp < \(PGTimestamp(secondsSince1970: to))::timestamptz")
        }
        return parts.joined(separator: " AND ")
    }
}
