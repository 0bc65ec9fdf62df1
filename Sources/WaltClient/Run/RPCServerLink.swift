import WaltCommon

/// The real `ServerLink`: the configuration (`~/.walt/config`, first-run prompts), one
/// CSAPI session on TCP 12345 with the version check, and the client callbacks. Calls
/// show the busy indicator on a terminal and map link failures to upstream's messages.
/// A callback may call back into the server on this same link (`registry_login` while
/// prompting for registry credentials), as upstream's client does.
public final class RPCServerLink: ServerLink {
    /// The only server version this client talks to.
    public static let expectedVersion = "10.0"

    public let config: WaltConfig
    public let callbacks: ClientCallbacks
    private let link: RPCClientLink

    init(config: WaltConfig, link: RPCClientLink, callbacks: ClientCallbacks) {
        self.config = config
        self.link = link
        self.callbacks = callbacks
    }

    /// Loads (and completes) the configuration, connects, checks the version.
    public static func open() throws(ClientError) -> any ServerLink {
        try open(file: ConfigFile.current(), writeOutput: { StandardStream.output.write($0) },
                 writeError: { StandardStream.error.write($0) })
    }

    /// `open()` with an explicit file and output.
    public static func open(file: ConfigFile, writeOutput: @escaping (String) -> Void,
                            writeError: @escaping (String) -> Void) throws(ClientError) -> RPCServerLink {
        let config = try loadConfig(file)
        let registries = RegistryCredentials(config: config, file: file, terminal: Terminal(write: writeOutput))
        return try connect(config, busy: Terminal.isInteractive, writeOutput: writeOutput, writeError: writeError,
                           registries: registries)
    }

    /// Connects with a complete configuration and checks the server's version.
    ///
    /// - Parameter registries: what registry-credential callbacks answer from; by default
    ///   the credentials of `config`, with prompted ones kept for this link only.
    public static func connect(_ config: WaltConfig, busy showBusy: Bool, writeOutput: @escaping (String) -> Void,
                               writeError: @escaping (String) -> Void,
                               registries: RegistryCredentials? = nil) throws(ClientError) -> RPCServerLink {
        guard let server = config.server, let username = config.username else {
            throw ClientError("the configuration has no walt.server or walt.username")
        }
        let busy = BusyIndicator(enabled: showBusy, write: writeOutput)
        let registries = registries ?? RegistryCredentials(config: config, file: nil, terminal: Terminal(write: writeOutput))
        let callbacks = ClientCallbacks(
            username: username, busy: busy, writeOutput: writeOutput, writeError: writeError, registries: registries)
        let link: RPCClientLink
        do {
            link = try RPCClientLink(host: server, api: "CSAPI", pipelined: true)
        } catch {
            throw linkError(error)
        }
        let serverLink = RPCServerLink(config: config, link: link, callbacks: callbacks)
        link.versionCheck = { [weak serverLink] (version: String) throws(RPCClientLink.Failure) in
            guard version != expectedVersion else { return }
            writeOutput("\nWALT version is different on client and on server.\n")
            let error = ClientError(
                "the server runs WalT \(version) and this client speaks \(expectedVersion) only (no auto-upgrade); exiting")
            serverLink?.callbackError = error
            throw RPCClientLink.Failure(error.message, kind: .callbackFailed)
        }
        registries.login = { [weak serverLink] (label: String) throws(ClientError) -> Bool in
            try serverLink?.registryLogin(label) ?? false
        }
        return serverLink
    }

    /// The configuration, completed on a terminal when something is missing.
    static func loadConfig(_ file: ConfigFile) throws(ClientError) -> WaltConfig {
        let loaded: (config: WaltConfig, migrated: Bool)?
        do { loaded = try file.load() } catch { throw ClientError(error.description) }
        let setup = FirstRunSetup(file: file, terminal: Terminal(), test: testConfig)
        var config = loaded?.config ?? WaltConfig()
        if loaded?.migrated == true { try setup.save(config) }
        if config.server == nil || config.username == nil {
            config = try setup.resolve(config)
        }
        return config
    }

    /// Upstream's `test_config`: can we open a link, and log in to `registry`?
    static func testConfig(_ config: WaltConfig, registry: String?) -> FirstRunSetup.TestOutcome {
        guard let server = config.server, let link = try? RPCClientLink(host: server, api: "CSAPI") else {
            return .serverUnreachable
        }
        guard let registry else { return .ok }
        // The server fetches the credentials under test through the callbacks.
        let callbacks = ClientCallbacks(
            username: config.username ?? "", busy: BusyIndicator(enabled: Terminal.isInteractive, write: { StandardStream.output.write($0) }),
            writeOutput: { StandardStream.output.write($0) }, writeError: { StandardStream.error.write($0) },
            registries: RegistryCredentials(config: config, file: nil, interactive: false))
        callbacks.busy.setLabel("Authenticating to the registry")
        let accepted = try? link.call("registry_login", [.str(registry)]) { (path, args) throws(RPCClientLink.Failure) in
            do throws(ClientError) { return try callbacks.handle(path, args) } catch {
                throw RPCClientLink.Failure(error.message, kind: .callbackFailed)
            }
        }
        return accepted?.boolValue == true ? .ok : .registryRejected
    }

    /// Upstream's `test_config(label)` while answering a callback: `registry_login` on this
    /// same link (a nested call), under the busy label "Authenticating to the registry".
    func registryLogin(_ label: String) throws(ClientError) -> Bool {
        let busy = callbacks.busy
        let previous = busy.label
        busy.setLabel("Authenticating to the registry")
        defer { busy.setLabel(previous) }
        return try call("registry_login", [.str(label)]).isTruthy
    }

    /// Runs a callback for the link; a `ClientError` it throws is kept, to be what the
    /// interrupted call throws (rather than a link failure).
    private func answer(_ path: String, _ args: [PyValue]) throws(RPCClientLink.Failure) -> PyValue {
        do {
            return try callbacks.handle(path, args)
        } catch {
            callbackError = callbackError ?? error
            throw RPCClientLink.Failure(error.message, kind: .callbackFailed)
        }
    }

    /// What a callback (or the version check) threw, once one did: the link takes no
    /// more calls.
    private var callbackError: ClientError?

    /// The error a failed link call ends with.
    private func failure(_ error: RPCClientLink.Failure) -> ClientError {
        if error.kind == .callbackFailed, let callbackError { return callbackError }
        return Self.linkError(error)
    }

    /// Calls that only read: the first one of a command leaves with the handshake, before
    /// the server's version line is checked, which saves a round trip on every such
    /// command. Any other call waits for the check, so a server of another version never
    /// acts on one; it can only answer a read, and that answer is dropped with the error.
    /// (A switch, not a `Set`: its first use would cost the runtime's conformance scan.)
    static func isReadOnly(_ method: String) -> Bool {
        switch method {
        case "show_nodes", "show_images", "device_show", "get_time", "count_logs", "get_nodes_info",
             "get_device_info", "get_nodes_ip", "get_node_ip", "get_device_ip", "list_checkpoints",
             "get_checkpoint_time", "get_registries", "has_image", "get_port_config", "get_device_config",
             "get_device_config_data", "parse_set_of_devices", "shell_autocomplete":
            return true
        default:
            return false
        }
    }

    /// Calls `method` on the server, answering its callbacks.
    public func call(_ method: String, _ args: [PyValue] = [], kwargs: [(key: PyValue, value: PyValue)] = []) throws(ClientError) -> PyValue {
        guard !abandoned else { throw ClientError("the link to the server was left after an interrupted call") }
        let busy = callbacks.busy
        busy.start()
        defer { busy.erase() }
        do {
            if link.remoteVersion == nil && !Self.isReadOnly(method) { try link.awaitVersion() }
            return try link.call(method, args, kwargs: kwargs, callbacks: answer, idle: busy.update)
        } catch {
            throw failure(error)
        }
    }

    /// Calls `method` while the user may cut the wait short (`wait_for_nodes`): `stop` is
    /// asked on each busy tick (~100 ms); when it says so, the call returns nil at once.
    /// The server's RESULT would arrive later, so the link takes no further calls.
    func call(_ method: String, _ args: [PyValue], stopWhen stop: @escaping () -> Bool) throws(ClientError) -> PyValue? {
        guard !abandoned else { throw ClientError("the link to the server was left after an interrupted call") }
        let busy = callbacks.busy
        busy.start()
        var stopped = false
        do {
            if link.remoteVersion == nil { try link.awaitVersion() }
            let value = try link.call(method, args, callbacks: answer) { () throws(RPCClientLink.Failure) in
                busy.update()
                if stop() {
                    stopped = true
                    throw RPCClientLink.Failure("stopped")
                }
            }
            busy.erase()
            return value
        } catch {
            // Like upstream, the spinner stays on screen when the wait is cut short.
            guard stopped else {
                busy.erase()
                throw failure(error)
            }
            abandoned = true
            return nil
        }
    }

    /// Set once a call was cut short.
    private var abandoned = false

    /// Where this server's streams are opened (port 12347 of the configured host).
    var streamEndpoint: StreamConnection.Endpoint {
        StreamConnection.Endpoint(host: config.server ?? "")
    }

    public var username: String { callbacks.username }

    public func perform(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32 {
        try ServerCommands(link: self, context: context).run(invocation)
    }

    /// Upstream's messages for the three ways a link fails (`wrap.py`, `apilink.py`).
    static func linkError(_ failure: RPCClientLink.Failure) -> ClientError {
        switch failure.kind {
        case .network:
            return ClientError(verbatim: "Network connection to WalT server failed! (\(failure.description))")
        case .protocolViolation:
            return ClientError(verbatim: "Issue occured while communicating with WalT server! (\(failure.description))")
        case .serverException:
            return ClientError(verbatim: "Unexpected server-side issue! \(failure.description)")
        case .callbackFailed:
            return ClientError(failure.description)
        }
    }
}
