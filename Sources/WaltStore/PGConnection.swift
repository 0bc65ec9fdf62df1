import WaltCommon
import CLibpq

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One libpq connection. **Confined to one thread**: libpq connections are not safe to use
/// from two threads at once, and every call here blocks. `PostgresStore` gives each
/// connection its own dedicated thread and only hands it to closures running there.
///
/// `@unchecked Sendable` only so that it can be moved to that thread once; sharing it
/// between threads afterwards is a bug that the type system cannot catch for us.
public final class PGConnection: @unchecked Sendable {
    let pq: Libpq
    let handle: OpaquePointer
    public let config: PGConnectionConfig
    /// Nesting depth of `transaction { }`: 0 outside, 1 in BEGIN, more in savepoints.
    var transactionDepth = 0
    /// Kept alive as long as libpq may call it (until `PQfinish` in `deinit`).
    private let noticeSink: NoticeSink?
    /// Statements prepared on this connection, by SQL text (see `preparedQuery`).
    private var prepared: [String: String] = [:]
    /// Beyond this many, statements run unprepared: texts built at run time must not grow
    /// the server's per-connection cache without end.
    static let preparedLimit = 64

    /// Receives the server's notices and warnings, and messages such as "FATAL: terminating
    /// connection due to administrator command" that arrive while the connection is idle.
    public typealias NoticeHandler = @Sendable (String) -> Void

    /// Connects (blocking). Loads libpq on the first call in the process. Without
    /// `onNotice`, libpq prints notices on stderr.
    public init(_ config: PGConnectionConfig, onNotice: NoticeHandler? = nil) throws(StoreError) {
        let pq = try Libpq.shared()
        let parameters = config.effectiveParameters
        let handle = withCStringArrays(parameters.map(\.key), parameters.map(\.value)) {
            keys, values in pq.connectdbParams(keys, values, 1)
        }
        guard let handle else {
            throw StoreError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard pq.status(handle) == CONNECTION_OK else {
            let detail = Self.trimmed(pq.errorMessage(handle))
            pq.finish(handle)
            throw StoreError(
                kind: .connectionFailed,
                message: "cannot connect to PostgreSQL (\(config.redactedDescription)): \(detail)")
        }
        self.pq = pq
        self.handle = handle
        self.config = config
        self.noticeSink = onNotice.map(NoticeSink.init)
        if let noticeSink {
            _ = pq.setNoticeProcessor(handle, { context, message in
                guard let context, let message else { return }
                let sink = Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue()
                sink.handler(PGConnection.trimmed(UnsafeMutablePointer(mutating: message)))
            }, Unmanaged.passUnretained(noticeSink).toOpaque())
        }
    }

    deinit {
        pq.finish(handle)
    }

    /// The libpq version number, e.g. 150018 for 15.18 (loads libpq).
    public static func libraryVersion() throws(StoreError) -> Int {
        Int(try Libpq.shared().libVersion())
    }

    /// The server version number, e.g. 150018.
    public var serverVersion: Int { Int(pq.serverVersion(handle)) }

    /// libpq's last known state; see `probe()` to notice a server that went away since.
    public var isConnected: Bool { pq.status(handle) == CONNECTION_OK }

    /// Looks at the idle socket without blocking: a server that restarted has closed it (and
    /// maybe sent a FATAL first). Returns false when the connection is unusable, so the
    /// caller can reconnect *before* sending a statement.
    public func probe() -> Bool {
        guard isConnected, transactionDepth == 0 else { return isConnected }
        let fd = pq.socket(handle)
        guard fd >= 0 else { return false }
        var pending = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var rounds = 0
        while rounds < 8, poll(&pending, 1, 0) > 0 {
            rounds += 1
            if pq.consumeInput(handle) == 0 { return false }
            while let notice = pq.notifies(handle) { pq.freemem(notice) }
            if !isConnected { return false }
        }
        return isConnected
    }

    /// Runs one statement (values bound as `$n`) and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws(StoreError) -> PGResult {
        let (text, binds) = sql.rendered
        try Self.refuseNul(text: text, binds: binds)
        let result = withCStringArray(binds) { values in
            pq.execParams(handle, text, Int32(binds.count), nil, values, nil, nil, 0)
        }
        return try rows(of: result, query: text)
    }

    /// Runs one statement like `query`, but PostgreSQL parses and plans it only the first
    /// time on this connection; later runs bind and execute. For the few reads that every
    /// client command makes (`walt node show`), where planning is half the server's work.
    /// The statement must be a single one; its text is the cache key.
    @discardableResult
    public func preparedQuery(_ sql: SQL) throws(StoreError) -> PGResult {
        let (text, binds) = sql.rendered
        try Self.refuseNul(text: text, binds: binds)
        guard let name = try statementName(text, parameterCount: binds.count) else { return try query(sql) }
        let result = withCStringArray(binds) { values in
            pq.execPrepared(handle, name, Int32(binds.count), values, nil, nil, 0)
        }
        return try rows(of: result, query: text)
    }

    /// The name `text` is prepared under, preparing it now if needed; nil once the cache
    /// is full.
    private func statementName(_ text: String, parameterCount: Int) throws(StoreError) -> String? {
        if let name = prepared[text] { return name }
        guard prepared.count < Self.preparedLimit else { return nil }
        let name = "walt_\(prepared.count)"
        guard let result = pq.prepare(handle, name, text, Int32(parameterCount), nil) else {
            throw connectionError(query: text)
        }
        defer { pq.clear(result) }
        guard pq.resultStatus(result) == PGRES_COMMAND_OK else { throw serverError(result, query: text) }
        prepared[text] = name
        return name
    }

    /// The rows of a finished statement, or its error.
    private func rows(of result: OpaquePointer?, query text: String) throws(StoreError) -> PGResult {
        guard let result else {
            throw connectionError(query: text)
        }
        defer { pq.clear(result) }
        switch pq.resultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(copying: result, pq: pq)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abortCopy()
            throw StoreError(kind: .misuse, message: "COPY goes through copyIn(_:rows:)", query: text)
        default:
            throw serverError(result, query: text)
        }
    }

    /// The error of a failed result; `connectionLost` when the connection is gone with it.
    func serverError(_ result: OpaquePointer, query: String?) -> StoreError {
        let sqlstate = pq.resultErrorField(result, CLIBPQ_DIAG_SQLSTATE).map { String(cString: $0) }
        let message = pq.resultErrorField(result, CLIBPQ_DIAG_MESSAGE_PRIMARY).map { String(cString: $0) }
            ?? Self.trimmed(pq.resultErrorMessage(result))
        let lost = !isConnected
        return StoreError(
            kind: lost ? .connectionLost : .server,
            sqlstate: sqlstate,
            message: lost ? "connection to PostgreSQL lost: \(message)" : message,
            query: query)
    }

    /// The error when libpq gave no result at all (it could not send, or ran out of memory).
    func connectionError(query: String?) -> StoreError {
        StoreError(
            kind: isConnected ? .server : .connectionLost,
            message: "connection to PostgreSQL lost: \(Self.trimmed(pq.errorMessage(handle)))",
            query: query)
    }

    /// Leaves a COPY state we did not ask for, so the connection stays usable.
    func abortCopy() {
        _ = pq.putCopyEnd(handle, "unexpected COPY")
        while let extra = pq.getResult(handle) { pq.clear(extra) }
    }

    /// PostgreSQL text cannot hold NUL and libpq would silently cut the C string there.
    static func refuseNul(text: String, binds: [String?]) throws(StoreError) {
        if text.utf8.contains(0) {
            throw StoreError(kind: .invalidValue, message: "SQL text contains a NUL byte")
        }
        for (index, bind) in binds.enumerated() where bind?.utf8.contains(0) == true {
            throw StoreError(
                kind: .invalidValue,
                message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store",
                query: text)
        }
    }

    /// libpq's messages end with a newline and wrap with "\n\t": make them one log line.
    static func trimmed(_ message: UnsafeMutablePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        var text = ""
        var pendingSpace = false
        for character in String(cString: message) {
            if character.isWhitespace {
                pendingSpace = !text.isEmpty
            } else {
                if pendingSpace { text.append(" ") }
                pendingSpace = false
                text.append(character)
            }
        }
        return text.isEmpty ? "unknown libpq error" : text
    }
}

/// Boxes the notice handler so that libpq can carry it as its `void *` argument.
final class NoticeSink: Sendable {
    let handler: PGConnection.NoticeHandler
    init(_ handler: @escaping PGConnection.NoticeHandler) { self.handler = handler }
}
