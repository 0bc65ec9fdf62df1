import CLibpq

extension PGConnection {
    /// Runs `body` inside a transaction: BEGIN, then COMMIT if it returns, or ROLLBACK and
    /// **rethrow** if it throws (a rollback that swallows the error would make a failed
    /// write look like a success). Nested calls use savepoints, so an inner failure undoes
    /// only the inner work and still propagates.
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let savepoint = transactionDepth > 0 ? "walt_savepoint_\(transactionDepth)" : nil
        try query(savepoint.map { "SAVEPOINT \(unescaped: $0)" } ?? "BEGIN")
        transactionDepth += 1
        let value: T
        do {
            value = try body(self)
        } catch {
            transactionDepth -= 1
            rollback(to: savepoint)
            throw error
        }
        transactionDepth -= 1
        do {
            try query(savepoint.map { "RELEASE SAVEPOINT \(unescaped: $0)" } ?? "COMMIT")
        } catch {
            rollback(to: savepoint)
            throw error
        }
        return value
    }

    /// Best effort: if the connection is gone, the server has rolled back already, and the
    /// error that brought us here is the one worth reporting.
    private func rollback(to savepoint: String?) {
        let status = pq.transactionStatus(handle)
        guard status == PQTRANS_INTRANS || status == PQTRANS_INERROR else { return }
        if let savepoint {
            _ = try? query("ROLLBACK TO SAVEPOINT \(unescaped: savepoint)")
            _ = try? query("RELEASE SAVEPOINT \(unescaped: savepoint)")
        } else {
            _ = try? query("ROLLBACK")
        }
    }

    /// Whether a transaction block is open on this connection.
    public var inTransaction: Bool {
        let status = pq.transactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }
}
