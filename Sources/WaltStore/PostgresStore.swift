/// The daemon's access to PostgreSQL: a few connections, each on its own dedicated thread,
/// behind an async API.
///
/// libpq blocks, so its calls never run on the Swift cooperative pool or a NIO event loop:
/// a job is queued, one of the store threads runs it on its connection, and the awaiting
/// task resumes with the result. Jobs from one task run in the order it awaits them.
/// Connections lost to a PostgreSQL restart are replaced (see `ManagedConnection`).
public final class PostgresStore: Sendable {
    public let config: PGConnectionConfig
    public let connectionCount: Int
    private let onNotice: PGConnection.NoticeHandler?
    private let queue: JobQueue

    /// Opens `connections` connections (failing if the server cannot be reached) and
    /// starts one thread per connection. `onNotice` gets server notices (e.g. for the
    /// daemon's log); without it libpq prints them on stderr.
    public static func connect(
        _ config: PGConnectionConfig, connections: Int = 2,
        onNotice: PGConnection.NoticeHandler? = nil
    ) async throws -> PostgresStore {
        let store = PostgresStore(config: config, connections: max(1, connections), onNotice: onNotice)
        try await store.start()
        return store
    }

    private init(config: PGConnectionConfig, connections: Int, onNotice: PGConnection.NoticeHandler?) {
        self.config = config
        self.connectionCount = connections
        self.onNotice = onNotice
        self.queue = JobQueue()
    }

    /// Threads only hold the queue, not the store, so a store dropped without `close()`
    /// still lets its threads finish and its connections close.
    deinit {
        queue.close {}
    }

    /// Each thread opens its connection itself, so the connection never changes threads.
    private func start() async throws {
        let (queue, config, onNotice) = (self.queue, self.config, self.onNotice)
        var failure: StoreError?
        for index in 0..<connectionCount {
            let opened: Result<Void, StoreError> = await withCheckedContinuation { continuation in
                queue.threadStarted()
                do throws(StoreError) {
                    try DedicatedThread.start(name: "walt-pg-\(index)") {
                        let managed = ManagedConnection(config: config, onNotice: onNotice)
                        do throws(StoreError) {
                            try managed.open()
                            continuation.resume(returning: .success(()))
                        } catch {
                            continuation.resume(returning: .failure(error))
                        }
                        while let job = queue.next() { job(managed) }
                        managed.close()
                        queue.threadExited()
                    }
                } catch {
                    queue.threadExited()
                    continuation.resume(returning: .failure(error))
                }
            }
            if case .failure(let error) = opened, failure == nil { failure = error }
        }
        if let failure {
            await close()
            throw failure
        }
    }

    /// Runs `body` on one of the store threads with its connection.
    ///
    /// `idempotent`: the body may run twice if the connection dies mid-way (see
    /// `ManagedConnection`); leave it false for writes that must not be doubled.
    public func withConnection<T: Sendable>(
        idempotent: Bool = false, _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = queue.submit { managed in
                continuation.resume(with: Result { try managed.run(idempotent: idempotent, body) })
            }
            if !accepted {
                continuation.resume(throwing: StoreError(kind: .misuse, message: "the store is closed"))
            }
        }
    }

    /// Runs one statement. Reads may pass `idempotent: true` to be retried once after a
    /// lost connection; `prepared`: parsed and planned once per connection (`PGConnection.preparedQuery`).
    @discardableResult
    public func query(_ sql: SQL, idempotent: Bool = false, prepared: Bool = false) async throws -> PGResult {
        try await withConnection(idempotent: idempotent) { prepared ? try $0.preparedQuery(sql) : try $0.query(sql) }
    }

    /// Runs `body` in a transaction on one connection: COMMIT if it returns, ROLLBACK and
    /// rethrow if it throws.
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PGConnection) throws -> T
    ) async throws -> T {
        try await withConnection { try $0.transaction(body) }
    }

    /// Bulk insertion with `COPY ... FROM STDIN` (see `PGConnection.copyIn`).
    @discardableResult
    public func copyIn(_ statement: SQL, rows: [[String?]]) async throws -> Int {
        try await withConnection { try $0.copyIn(statement, rows: rows) }
    }

    /// Applies the migrations not applied yet; returns the versions applied now.
    @discardableResult
    public func migrate(_ migrations: [Migration] = WaltSchema.migrations) async throws -> [Int] {
        try await withConnection { try Migrator(migrations).apply(on: $0) }
    }

    /// Finishes queued jobs, closes every connection and ends the threads. Later calls
    /// throw `misuse` ("the store is closed").
    public func close() async {
        let queue = self.queue
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.close { continuation.resume() }
        }
    }
}
