/// A failed library call: what went wrong, the exit status the CLI would use, and the
/// details (the server's messages, the method called).
public struct WaltAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let status: Int32
    public let details: [String]

    public init(_ message: String, status: Int32 = 1, details: [String] = []) {
        self.message = message
        self.status = status
        self.details = details
    }

    init(_ error: ClientError) {
        self.init(error.message, status: error.status)
    }

    public var description: String {
        details.isEmpty ? message : message + " (" + details.joined(separator: "; ") + ")"
    }
}
