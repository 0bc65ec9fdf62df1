/// The seam between parsed commands and the WalT server.
///
/// Every command whose spec says `.server` reaches the server through the one link that
/// `ClientContext.serverLink()` opens on first use; commands never open sockets
/// themselves. `walt` uses `RPCServerLink` (CSAPI over TCP 12345); `ServerLinkUnavailable`
/// is the default of a bare `ClientContext` (tests of the local paths).
public protocol ServerLink: AnyObject {
    /// Carries out `invocation` against the server and returns the exit status.
    func perform(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32
}

/// Opens the link the context uses; called at most once per process.
public typealias ServerLinkOpener = () throws(ClientError) -> any ServerLink

/// A context without a way to the server.
public enum ServerLinkUnavailable {
    /// The reason given to users.
    public static let reason = "the RPC link is not built yet"

    /// The opener: it always fails with `reason`.
    public static func open() throws(ClientError) -> any ServerLink {
        throw ClientError.serverUnreachable(reason)
    }
}
