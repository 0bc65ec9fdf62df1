/// A failure the client reports on one line of stderr before exiting: `walt: <message>`,
/// or upstream's own wording as is (`Network connection to WalT server failed!`).
public struct ClientError: Error, Equatable, Sendable {
    public let message: String
    /// The exit status; WalT exits 1 for every failure that is not a usage error.
    public let status: Int32
    /// False for upstream's messages, printed without the `walt: ` prefix.
    public let prefixed: Bool

    public init(_ message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
        prefixed = true
    }

    /// A message printed exactly as upstream prints it.
    public init(verbatim message: String, status: Int32 = 1) {
        self.message = message
        self.status = status
        prefixed = false
    }

    /// The server cannot be reached; `reason` says why.
    public static func serverUnreachable(_ reason: String) -> ClientError {
        ClientError("cannot reach the server: " + reason)
    }

    /// True for a link that broke (upstream's `socket.error`), which some loops take as
    /// their end rather than as a failure.
    public var isNetworkFailure: Bool {
        !prefixed && message.hasPrefix("Network connection to WalT server failed!")
    }

    /// The line printed on stderr.
    public var line: String { (prefixed ? "walt: " : "") + message + "\n" }
}
