/// The seam between parsed commands and the WalT server.
///
/// Every command whose spec says `.server` reaches the server through the one link that
/// `ClientContext.serverLink()` opens on first use; commands never open sockets
/// themselves. The RPC layer (CSAPI over TCP 12345) provides the real link; until then
/// `ClientContext` is built with `ServerLinkUnavailable`, which says so.
public protocol ServerLink: AnyObject {
    /// Carries out `invocation` against the server and returns the exit status.
    func perform(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32
}

/// Opens the link the context uses; called at most once per process.
public typealias ServerLinkOpener = () throws(ClientError) -> any ServerLink

/// What `walt` has while the RPC link is not written: no way to the server.
public enum ServerLinkUnavailable {
    /// The reason given to users.
    public static let reason = "the RPC link is not built yet"

    /// The opener: it always fails with `reason`.
    public static func open() throws(ClientError) -> any ServerLink {
        throw ClientError.serverUnreachable(reason)
    }
}
