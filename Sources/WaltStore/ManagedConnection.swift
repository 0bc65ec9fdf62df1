/// The connection of one store thread, reopened when PostgreSQL went away.
///
/// Only its own thread touches it. The reconnect policy never loses or doubles a write
/// silently:
/// - a connection found dead *before* sending (the server restarted while we were idle)
///   is replaced and the statement sent on the new one: nothing was sent, nothing is lost;
/// - a connection that dies *while* a statement is in flight is replaced right away, but
///   the statement is retried only if the caller said it is idempotent; otherwise the
///   caller gets a `connectionLost` error saying the outcome is unknown.
final class ManagedConnection {
    let config: PGConnectionConfig
    let onNotice: PGConnection.NoticeHandler?
    private(set) var connection: PGConnection?
    /// Number of times a connection was replaced, for tests and diagnostics.
    private(set) var reconnects = 0

    init(config: PGConnectionConfig, onNotice: PGConnection.NoticeHandler?) {
        self.config = config
        self.onNotice = onNotice
    }

    /// Opens the first connection; failing here lets the store refuse to start.
    func open() throws(StoreError) {
        connection = try PGConnection(config, onNotice: onNotice)
    }

    /// Closes the connection (PQfinish) when the store shuts down.
    func close() {
        connection = nil
    }

    /// A usable connection: the current one if its socket looks healthy, else a new one.
    func ready() throws(StoreError) -> PGConnection {
        if let connection, connection.probe() { return connection }
        let hadOne = connection != nil
        connection = nil
        do {
            let fresh = try PGConnection(config, onNotice: onNotice)
            if hadOne { reconnects += 1 }
            connection = fresh
            return fresh
        } catch {
            var failure = error
            if hadOne { failure.message = "lost the connection to PostgreSQL and could not reconnect: \(error.message)" }
            throw failure
        }
    }

    /// Runs `body` on a ready connection, applying the policy above.
    func run<T>(idempotent: Bool, _ body: (PGConnection) throws -> T) throws -> T {
        let current = try ready()
        do {
            return try body(current)
        } catch let error as StoreError where error.kind == .connectionLost {
            connection = nil
            let replacement = try? ready()
            if idempotent, let replacement {
                return try body(replacement)
            }
            throw StoreError(
                kind: .connectionLost,
                sqlstate: error.sqlstate,
                message: error.message
                    + (replacement == nil ? "; reconnecting failed too" : "; reconnected")
                    + (error.serverWasShuttingDown
                        ? "; the server was shutting down and aborted the statement: retry it"
                        : "; the statement may or may not have been applied and was not retried"),
                query: error.query)
        }
    }
}
