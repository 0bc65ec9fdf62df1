/// The realtime side of a log query: issuers, and the two POSIX-ERE patterns compiled
/// with libc, as upstream filters lines that did not come from PostgreSQL.
struct LogFilter: Sendable {
    let issuers: Set<String>?
    let streams: PosixRegex?
    let lines: PosixRegex?

    init(_ query: LogQuery) throws {
        issuers = query.issuers.map(Set.init)
        streams = try query.streamsRegexp.map(PosixRegex.init)
        lines = try query.loglineRegexp.map(PosixRegex.init)
    }

    func accepts(_ record: LogRecord, _ info: LogStreamInfo) -> Bool {
        if let issuers, !issuers.contains(info.issuer) { return false }
        if let streams, !streams.matches(info.stream) { return false }
        if let lines, !lines.matches(record.line) { return false }
        return true
    }
}
