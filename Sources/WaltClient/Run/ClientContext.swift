import WaltCommon

/// What a running command may use: the output streams and the server link.
///
/// The link is opened lazily, so local commands and every help page run without a server
/// and without reading the configuration.
public final class ClientContext {
    /// Writes to standard output (the server's `stdout.write` callbacks land here too).
    public let writeOutput: (String) -> Void
    /// Writes to standard error.
    public let writeError: (String) -> Void
    private let openLink: ServerLinkOpener
    private var link: (any ServerLink)?

    public init(
        openLink: @escaping ServerLinkOpener = ServerLinkUnavailable.open,
        writeOutput: @escaping (String) -> Void = { StandardStream.output.write($0) },
        writeError: @escaping (String) -> Void = { StandardStream.error.write($0) }
    ) {
        self.openLink = openLink
        self.writeOutput = writeOutput
        self.writeError = writeError
    }

    /// The link to the server, opened on first use and reused afterwards.
    public func serverLink() throws(ClientError) -> any ServerLink {
        if let link { return link }
        let opened = try openLink()
        link = opened
        return opened
    }
}
