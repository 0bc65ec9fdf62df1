import WaltCommon

/// Upstream's `resolve_new_user`: when `walt.server` or `walt.username` is missing, ask
/// for them on the terminal, test them against the server, and save the file. Without a
/// terminal to ask on, a one-line error instead of upstream's `EOFError` traceback.
public struct FirstRunSetup {
    /// How testing the entered values went (upstream's `test_config`).
    public enum TestOutcome: Equatable, Sendable {
        case ok
        /// No connection to `walt.server`.
        case serverUnreachable
        /// The registry refused the credentials.
        case registryRejected
    }

    public let file: ConfigFile
    public let terminal: Terminal
    /// Opens a link with the given configuration and, for `registry`, logs in to it.
    public let test: (WaltConfig, _ registry: String?) -> TestOutcome

    public init(file: ConfigFile, terminal: Terminal, test: @escaping (WaltConfig, String?) -> TestOutcome) {
        self.file = file
        self.terminal = terminal
        self.test = test
    }

    /// The one-line error when the configuration is incomplete and nobody can be asked.
    public func notInteractiveError(_ config: WaltConfig) -> ClientError {
        let missing = [config.server == nil ? "walt.server" : nil, config.username == nil ? "walt.username" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        return ClientError(
            "\(file.path) lacks \(missing) and stdin is not a terminal to ask for it; run walt once in a terminal, or write that file")
    }

    /// Completes `config` interactively and saves it; returns it complete.
    public func resolve(_ config: WaltConfig, interactive: Bool = Terminal.isTTY(0)) throws(ClientError) -> WaltConfig {
        guard interactive else { throw notInteractiveError(config) }
        let aborted = ClientError("Aborted.")
        var config = config
        terminal.write("You are a new user of this WalT platform, and this command requires a few configuration items.\n")
        var useHub = false
        while true {
            if config.server == nil {
                guard let server = terminal.askItem("IP or hostname of WalT server") else { throw aborted }
                config.server = server
            }
            if config.username == nil {
                let question = "Do you intend to push or pull images to/from the docker hub?"
                guard let hub = terminal.yesOrNo(question, okMessage: nil, koMessage: nil) else { throw aborted }
                useHub = hub
                if hub {
                    terminal.write("Please get an account at hub.docker.com if not done yet, then specify credentials here.\n")
                    guard let user = terminal.askItem("username"), let password = terminal.askItem("password", secret: true)
                    else { throw aborted }
                    config.setRegistryCredentials("hub", username: user, password: password)
                    config.username = user
                } else {
                    guard let user = terminal.askItem("Please choose a username for this walt platform") else { throw aborted }
                    config.username = user
                }
            }
            terminal.write("\nTesting provided configuration...\n")
            switch test(config, useHub ? "hub" : nil) {
            case .ok:
                terminal.write("OK.\n\n")
            case .serverUnreachable:
                terminal.write("FAILED. The value of 'walt.server' you entered seems invalid (or the server is down?).\n\n")
                config.server = nil
                continue
            case .registryRejected:
                terminal.write("\n")
                config.setRegistryCredentials("hub", username: nil, password: nil)
                config.username = nil
                continue
            }
            break
        }
        if useHub, let username = config.username {
            terminal.write("Note: \(username) will also be your username on the WalT platform.\n")
        }
        try save(config)
        return config
    }

    /// Writes the file and says so, as upstream's `save_config`.
    public func save(_ config: WaltConfig) throws(ClientError) {
        do {
            try file.save(config)
        } catch {
            throw ClientError(error.description)
        }
        terminal.write("\nConfiguration was updated in \(file.path).\n\n")
    }
}
