/// One versioned schema change: its statements run in one transaction, once per database.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [SQL]

    public init(version: Int, name: String, statements: [SQL]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies migrations in version order and records each in `walt_migrations`.
///
/// A session advisory lock serialises concurrent daemons (or tests) migrating the same
/// database; each migration and its bookkeeping row commit together, so a failure leaves
/// the database at the previous version and the next start tries again.
public struct Migrator: Sendable {
    /// The bookkeeping table. Its own name, so it cannot clash with an upstream table.
    public static let table = "walt_migrations"
    /// Arbitrary advisory lock key ("walt" in ASCII).
    static let lockKey = 0x7761_6C74

    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The versions recorded as applied, in order.
    public static func appliedVersions(on connection: PGConnection) throws -> [Int] {
        let result = try connection.query(
            "SELECT version FROM \(unescaped: table) ORDER BY version")
        return try result.rows.map { try $0.decode("version") }
    }

    /// Applies what is missing; returns the versions applied by this call.
    public func apply(on connection: PGConnection) throws -> [Int] {
        try connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        try connection.query("""
            CREATE TABLE IF NOT EXISTS \(unescaped: Self.table) (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())
            """)
        let applied = Set(try Self.appliedVersions(on: connection))
        if let newest = applied.max(), let known = migrations.last?.version, newest > known {
            throw StoreError(
                kind: .misuse,
                message: "the database schema is at version \(newest), newer than this "
                    + "walt-server-daemon knows (\(known)): upgrade walt-server-daemon")
        }
        var appliedNow: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            do {
                try connection.transaction { connection in
                    for statement in migration.statements {
                        try connection.query(statement)
                    }
                    try connection.query("""
                        INSERT INTO \(unescaped: Self.table) (version, name)
                        VALUES (\(migration.version), \(migration.name))
                        """)
                }
            } catch var error as StoreError {
                error.message = "migration \(migration.version) (\(migration.name)) failed: \(error.message)"
                throw error
            }
            appliedNow.append(migration.version)
        }
        return appliedNow
    }
}
