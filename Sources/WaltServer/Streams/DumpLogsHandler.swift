import Logging
import NIOCore
import WaltCommon

/// `REQ_DUMP_LOGS` (1): history from PostgreSQL, then realtime lines, one pickled dict
/// per record (`timestamp`, `line`, `issuer`, `stream`, in that order). History lines are
/// filtered by PostgreSQL, realtime ones here with libc's POSIX-ERE engine; a realtime
/// line already read from history is not sent twice. Without `realtime` the connection
/// closes after the history; with it, when the client goes away or stops reading for too
/// long (see `LogHub.defaultSubscriberBacklog`).
struct DumpLogsHandler {
    let daemon: DaemonState
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let logger: Logger
    let closeAfter: @Sendable (TimeAmount) -> Void

    func run(parameters: PyValue, source: inout ByteSource) async throws {
        let query: LogQuery
        let filter: LogFilter
        do {
            guard let pairs = parameters.dictPairs else { throw LogQuery.Invalid(description: "parameters are not a dict") }
            query = try LogQuery(parameters: pairs)
            filter = try LogFilter(query)
        } catch {
            logger.warning("log request refused: \(error)")
            return
        }
        let hub = daemon.logHub
        let subscription = query.realtime ? await hub.subscribe() : nil
        var seenThrough: UInt64 = 0
        if query.history != nil {
            do {
                let store = daemon.store
                let (rows, committed) = try await hub.readAfterFlush { try await LogRepository(store: store).history(query) }
                seenThrough = committed
                try await send(rows.lazy.map { ($0.timestamp, $0.line, $0.issuer, $0.stream) }, format: query.timestampsFormat)
            } catch {
                if let subscription { await hub.unsubscribe(subscription.id) }
                throw error
            }
        }
        guard let subscription else {
            // A large history is still queued: FIN goes after it, and the connection closes
            // once the client has read it all and hung up (closing now could drop the tail).
            outbound.finish()
            closeAfter(SessionRelay.hangUpDelay)
            while try await source.next() != nil {}
            return
        }
        let skip = seenThrough
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await streamRealtime(subscription, filter: filter, skipThrough: skip, format: query.timestampsFormat)
            }
            // The client sends nothing more; its EOF ends the realtime stream.
            do {
                while try await source.next() != nil {}
            } catch {
                await hub.unsubscribe(subscription.id)
                throw error
            }
            await hub.unsubscribe(subscription.id)
            try await group.waitForAll()
        }
    }

    private func streamRealtime(_ subscription: LogHub.Subscription, filter: LogFilter, skipThrough: UInt64,
                                format: LogQuery.TimestampsFormat) async throws {
        for await batch in subscription.records {
            let fresh = batch.filter { $0.sequence > skipThrough }
            guard !fresh.isEmpty else { continue }
            let names = try await daemon.logStreams.info(fresh.map(\.streamID))
            let selected = fresh.compactMap { record -> (Double, String, String, String)? in
                guard let info = names[record.streamID], filter.accepts(record, info) else { return nil }
                return (record.timestamp, record.line, info.issuer, info.stream)
            }
            try await send(selected, format: format)
        }
        // The stream ended: the client left, the daemon stops, or this reader fell too far
        // behind (LogHub cut it off). The end of the connection tells the client.
        outbound.finish()
        closeAfter(SessionRelay.hangUpDelay)
    }

    /// Writes records in chunks of about 64 KiB.
    private func send(_ records: some Sequence<(Double, String, String, String)>, format: LogQuery.TimestampsFormat) async throws {
        var buffer: [UInt8] = []
        for (timestamp, line, issuer, stream) in records {
            buffer += LogRecordEncoder.encode(timestamp: timestamp, line: line, issuer: issuer, stream: stream, format: format)
            if buffer.count >= 65_536 {
                try await outbound.write(ByteBuffer(bytes: buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try await outbound.write(ByteBuffer(bytes: buffer)) }
    }
}
