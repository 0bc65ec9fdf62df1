/// One accepted log line, as the hub fans it out and the store keeps it.
public struct LogRecord: Sendable, Equatable {
    /// Order of acceptance, daemon-wide; lets a history reader skip realtime copies of
    /// lines it already read from PostgreSQL.
    public var sequence: UInt64
    public var streamID: Int
    /// Seconds since 1970 (UTC).
    public var timestamp: Double
    public var line: String

    public init(sequence: UInt64 = 0, streamID: Int, timestamp: Double, line: String) {
        self.sequence = sequence
        self.streamID = streamID
        self.timestamp = timestamp
        self.line = line
    }
}

/// Who wrote a log stream, and its name, as clients see them (`issuer`, `stream`).
public struct LogStreamInfo: Sendable, Equatable {
    public var issuer: String
    public var stream: String

    public init(issuer: String, stream: String) {
        self.issuer = issuer
        self.stream = stream
    }
}
