import WaltCommon

/// `prompt_missing_registry_credentials(label)`: upstream's `resolve_registry_creds`,
/// reached when the server needs credentials the configuration lacks.
extension RegistryCredentials {
    /// How upstream names the credentials of `label` in its messages.
    static func subject(_ label: String) -> String {
        label == "hub" ? "Docker hub credentials" : "Credentials for access to \"\(label)\" registry"
    }

    /// When `label` has no username, asks for a username and a password (not echoed) until
    /// the server's `registry_login` accepts them, then saves them (mode 0600). With a
    /// username already there, does nothing, as upstream (which only looks at the
    /// username). Without a terminal to ask on: one clear error instead of upstream's
    /// `EOFError` traceback; the call in progress ends with it.
    public func promptIfMissing(_ label: String) throws(ClientError) {
        guard username(label) == nil else { return }
        let subject = Self.subject(label)
        guard interactive else {
            throw ClientError("\(subject) are missing from \(file?.path ?? "~/.walt/config") and stdin is not a terminal "
                + "to ask for them; run the command once in a terminal, which saves them there")
        }
        terminal.write("\(subject) are missing or invalid. Please enter them below.\n")
        let passwordPrompt = label == "hub" ? "password" : "password (or token)"
        while true {
            guard let username = terminal.askItem("username"), let password = terminal.askItem(passwordPrompt, secret: true) else {
                throw ClientError("Aborted.")
            }
            config.setRegistryCredentials(label, username: username, password: password)
            // Upstream's test_config(label).
            terminal.write("\nTesting provided configuration...\n")
            if try login?(label) ?? true {
                terminal.write("OK.\n\n")
                break
            }
            terminal.write("\n")
            config.setRegistryCredentials(label, username: nil, password: nil)
        }
        try save(label)
    }

    /// Writes the new credentials into the file as it is now (so that a session opened
    /// with another server or username than the file's does not write those), and says so
    /// as upstream's `save_config` does.
    private func save(_ label: String) throws(ClientError) {
        guard let file else { return }
        var saved = ((try? file.load()) ?? nil)?.config ?? config
        let (username, password) = config.registryCredentials(label)
        saved.setRegistryCredentials(label, username: username, password: password)
        do {
            try file.save(saved)
        } catch {
            throw ClientError(error.description)
        }
        terminal.write("\nConfiguration was updated in \(file.path).\n\n")
    }
}
