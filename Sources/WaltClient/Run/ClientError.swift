/// A failure the client reports on one line of stderr (`walt: <message>`) before exiting.
public struct ClientError: Error, Equatable, Sendable {
    public let message: String
    /// The exit status; WalT exits 1 for every failure that is not a usage error.
    public let status: Int32

    public init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
    }

    /// The server cannot be reached; `reason` says why.
    public static func serverUnreachable(_ reason: String) -> ClientError {
        ClientError("cannot reach the server: " + reason)
    }

    /// The line printed on stderr.
    public var line: String { "walt: " + message + "\n" }
}
