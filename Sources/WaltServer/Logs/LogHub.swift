import Logging
import WaltStore

/// Where every accepted log line goes: fanned out at once, in order, to realtime
/// subscribers, and kept for PostgreSQL until the next flush (at least every 0.3 s, see
/// `LogHubService`, and once more at shutdown).
///
/// A line counts as accepted once `accept` returned: it is either in the database or in
/// `pending`, and a failed insert puts the batch back to be retried.
public actor LogHub {
    /// A realtime reader: its records, and the last sequence number accepted before it
    /// subscribed.
    public struct Subscription: Sendable {
        public let id: UInt64
        public let records: AsyncStream<[LogRecord]>
    }

    /// A batch bigger than this is flushed without waiting for the timer.
    static let eagerFlushSize = 4096
    /// How many batches a realtime reader may lag behind before it is cut off: a reader
    /// that stops reading but keeps its connection must not make the daemon's memory grow
    /// without end. Cut off, its stream ends (after what it was owed), so it never misses
    /// lines without knowing. `WALT_REALTIME_BACKLOG` overrides it (tests).
    public static let defaultSubscriberBacklog = 10_000

    private let store: PostgresStore
    private let logger: Logger
    private var pending: [LogRecord] = []
    private var nextSequence: UInt64 = 1
    private var subscribers: [UInt64: AsyncStream<[LogRecord]>.Continuation] = [:]
    private var nextSubscriberID: UInt64 = 1
    /// Highest sequence number known to be in the database.
    private var committedSequence: UInt64 = 0
    /// Flushes run one at a time, and a history query holds this lock while it reads, so
    /// it knows exactly which lines it saw.
    private var flushLocked = false
    private var lockWaiters: [CheckedContinuation<Void, Never>] = []
    private var wakeFlusher: (@Sendable () -> Void)?
    private let subscriberBacklog: Int

    public init(store: PostgresStore, logger: Logger, subscriberBacklog: Int = LogHub.defaultSubscriberBacklog) {
        self.store = store
        self.logger = logger
        self.subscriberBacklog = max(1, subscriberBacklog)
    }

    /// Accepts lines of one stream. Returns once they are queued for the database and
    /// handed to every realtime subscriber.
    public func accept(streamID: Int, lines: [(line: String, timestamp: Double)]) {
        guard !lines.isEmpty else { return }
        var batch: [LogRecord] = []
        batch.reserveCapacity(lines.count)
        for (line, timestamp) in lines {
            batch.append(LogRecord(sequence: nextSequence, streamID: streamID, timestamp: timestamp, line: line))
            nextSequence += 1
        }
        pending.append(contentsOf: batch)
        var lagging: [UInt64] = []
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(batch) { lagging.append(id) }
        }
        for id in lagging {
            logger.warning("realtime log reader \(id) is \(subscriberBacklog) batches behind: its stream is ended")
            subscribers.removeValue(forKey: id)?.finish()
        }
        if pending.count >= Self.eagerFlushSize { wakeFlusher?() }
    }

    public var pendingCount: Int { pending.count }

    func setWakeFlusher(_ wake: @escaping @Sendable () -> Void) {
        wakeFlusher = wake
    }

    public func subscribe() -> Subscription {
        let id = nextSubscriberID
        nextSubscriberID += 1
        let (stream, continuation) = AsyncStream<[LogRecord]>.makeStream(bufferingPolicy: .bufferingOldest(subscriberBacklog))
        subscribers[id] = continuation
        return Subscription(id: id, records: stream)
    }

    public func unsubscribe(_ id: UInt64) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Writes everything pending. On failure the batch stays pending for the next try.
    @discardableResult
    public func flush() async -> Bool {
        await lock()
        defer { unlock() }
        return await flushLocked()
    }

    /// Flushes, then runs `read` while no other flush can happen; returns its result and
    /// the highest sequence number it can have seen in the database.
    public func readAfterFlush<T: Sendable>(_ read: @Sendable () async throws -> T) async throws -> (T, UInt64) {
        await lock()
        defer { unlock() }
        await flushLocked()
        let value = try await read()
        return (value, committedSequence)
    }

    /// Ends every realtime subscription (daemon shutdown).
    public func finishSubscribers() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }

    private func flushLocked() async -> Bool {
        guard !pending.isEmpty else { return true }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        do {
            try await LogRepository(store: store).insert(batch)
            committedSequence = max(committedSequence, batch.last?.sequence ?? 0)
            return true
        } catch {
            logger.error("could not write \(batch.count) log lines, will retry: \(error)")
            pending.insert(contentsOf: batch, at: 0)
            return false
        }
    }

    private func lock() async {
        if !flushLocked {
            flushLocked = true
            return
        }
        await withCheckedContinuation { lockWaiters.append($0) }
    }

    private func unlock() {
        if lockWaiters.isEmpty {
            flushLocked = false
        } else {
            lockWaiters.removeFirst().resume()
        }
    }
}
