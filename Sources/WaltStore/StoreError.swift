/// The one error type of WaltStore: what went wrong, PostgreSQL's SQLSTATE when the
/// server gave one, and the query text (never its bound values, which may be private).
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Broad classes the daemon reacts to differently.
    public enum Kind: String, Sendable, Equatable {
        /// libpq.so.5 could not be loaded.
        case libraryMissing
        /// Could not open a connection (server down, bad DSN, authentication).
        case connectionFailed
        /// The connection died while a statement was in flight: its outcome is unknown
        /// unless `sqlstate` says the server shut down before running it (class 57P).
        case connectionLost
        /// The server refused the statement; see `sqlstate`.
        case server
        /// A value could not be sent as a text parameter (a NUL byte) or a result value
        /// could not be decoded into the requested Swift type.
        case invalidValue
        /// The store was shut down, or asked for something it cannot do.
        case misuse
        /// The embedded cluster could not be created, started or stopped.
        case cluster
    }

    public var kind: Kind
    /// Five-character SQLSTATE code from the server, e.g. "23505".
    public var sqlstate: String?
    public var message: String
    /// The statement text with `$n` placeholders, when a statement was involved.
    public var query: String?

    public init(kind: Kind, sqlstate: String? = nil, message: String, query: String? = nil) {
        self.kind = kind
        self.sqlstate = sqlstate
        self.message = message
        self.query = query
    }

    /// SQLSTATE 23505: a row with this key already exists.
    public var isUniqueViolation: Bool { sqlstate == "23505" }

    /// SQLSTATE 23503: a referenced row does not exist (or is still referenced).
    public var isForeignKeyViolation: Bool { sqlstate == "23503" }

    /// The connection is gone (reconnecting may help), as opposed to a refused statement.
    public var isConnectionProblem: Bool {
        kind == .connectionFailed || kind == .connectionLost
    }

    /// Class 57P (admin shutdown, crash shutdown, cannot connect now): the server stopped
    /// before finishing the statement, so its transaction did not commit.
    public var serverWasShuttingDown: Bool {
        sqlstate?.hasPrefix("57P") ?? false
    }

    public var description: String {
        var text = message
        if let sqlstate { text += " [SQLSTATE \(sqlstate)]" }
        if let query { text += " in query: \(query)" }
        return text
    }
}
