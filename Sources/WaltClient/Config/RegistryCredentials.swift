import WaltCommon

/// Registry credentials as the server's callbacks need them (upstream's
/// `conf.registries.<label>` in `WaltClientService`): the server asks for a username
/// (`get_registry_username`), for the password encrypted for it
/// (`get_registry_encrypted_credentials`), or asks the client to prompt for missing ones
/// (`prompt_missing_registry_credentials`, in `RegistryCredentials+Prompt.swift`).
///
/// A class because the configuration changes under a running call: credentials typed at
/// a prompt must be what the next callback of the same call sees, as upstream's global
/// `conf_dict` is.
public final class RegistryCredentials {
    public internal(set) var config: WaltConfig
    /// Where prompted credentials are saved; nil never saves (a configuration under test).
    let file: ConfigFile?
    /// Prompts and their messages (stdout), answers (stdin).
    let terminal: Terminal
    /// Whether someone can be asked (stdin is a terminal), as for the first-run prompts.
    let interactive: Bool
    /// Upstream's `test_config(label)`: `registry_login(label)` through the link the
    /// callback came from (a nested call), under the busy label "Authenticating to the
    /// registry". Set by the link; nil accepts the credentials untested.
    var login: ((String) throws(ClientError) -> Bool)?

    public init(config: WaltConfig, file: ConfigFile?, terminal: Terminal = Terminal(),
                interactive: Bool = Terminal.isTTY(0)) {
        self.config = config
        self.file = file
        self.terminal = terminal
        self.interactive = interactive
    }

    /// `get_registry_username(label)`: the username, or nil.
    public func username(_ label: String) -> String? {
        config.registryCredentials(label).username
    }

    /// `get_registry_encrypted_credentials(label, server_pub_key)`: None without both a
    /// username and a password, else upstream's `get_encrypted_credentials` dict, in its
    /// key order: `username` (str), `encrypted_password` (bytes, `CredentialCipher` keyed
    /// by the Diffie-Hellman secret) and `client_pub_key` (int).
    public func encryptedCredentials(_ label: String, serverPublicKey: PyValue) throws(ClientError) -> PyValue {
        let (username, password) = config.registryCredentials(label)
        guard let username, let password else { return .none }
        let peer = DiffieHellman()
        guard case .int(let remote) = serverPublicKey, let secret = peer.sharedSecret(with: remote) else {
            throw ClientError("the server sent an invalid Diffie-Hellman public key for the \(label) registry credentials")
        }
        return .dict([
            (key: "username", value: .str(username)),
            (key: "encrypted_password", value: .bytes(CredentialCipher(secret: secret).encrypt(password))),
            (key: "client_pub_key", value: .int(peer.publicKey)),
        ])
    }
}
