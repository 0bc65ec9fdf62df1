import WaltCommon

/// `walt advanced sql|fix-image-owner|update-hub-meta|rescan-hub-account|update-default-images`
/// (upstream's `advanced.py`): maintenance calls with upstream's guards and messages.
struct AdvancedActions {
    /// Printed (with print's newline) before the psql session, as upstream's `SQL_SHELL_MESSAGE`.
    static let sqlMessage = "Type \\dt for a list of tables.\n"

    let link: RPCServerLink
    let context: ClientContext

    /// Upstream's warning for `fix-image-owner` without its switch (print adds the blank line).
    static func fixImageOwnerWarning(_ user: String) -> String {
        """
        This will make you own all images of user '\(user)'. It is intended
        for maintenance only (i.e. if user '\(user)' is no longer working with
        walt).
        If this is really what you want, run:
        walt advanced fix-image-owner --yes-i-know-do-it-please \(user)


        """
    }

    /// `walt advanced fix-image-owner` without `--yes-i-know-do-it-please` only prints the
    /// warning. Upstream opens no link on that path, so neither do we: it works with no
    /// server and no configuration. Nil for every other command.
    static func withoutServer(_ invocation: Invocation, context: ClientContext) -> Int32? {
        guard invocation.category == .advanced, invocation.command.name == "fix-image-owner",
              !invocation.flag("yes-i-know-do-it-please") else { return nil }
        context.writeOutput(fixImageOwnerWarning(NodeActions.text(invocation, "other_user")))
        return 0
    }

    /// `walt advanced fix-image-owner --yes-i-know-do-it-please <user>`: the server reports.
    func fixImageOwner(_ invocation: Invocation) throws(ClientError) -> Int32 {
        if let status = Self.withoutServer(invocation, context: context) { return status }
        _ = try link.call("fix_image_owner", [.str(NodeActions.text(invocation, "other_user"))])
        return 0
    }

    /// `walt advanced update-hub-meta [--waltplatform-user]` and its alias
    /// `rescan-hub-account`: only where the `hub` registry is configured; the server's
    /// boolean is the exit status.
    func updateHubMeta(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let labels = (try link.call("get_registries").sequenceItems ?? []).compactMap { $0.sequenceItems?.first }
        guard labels.contains("hub") else {
            context.writeOutput("Sorry, cannot run this command because the docker hub registry was"
                + " disabled on this platform.\n")
            return 1
        }
        let result = try link.call("update_hub_metadata", [.bool(invocation.flag("waltplatform-user"))])
        return ImageActions.status(result)
    }

    /// `walt advanced update-default-images`: the server's boolean is the exit status.
    func updateDefaultImages() throws(ClientError) -> Int32 {
        ImageActions.status(try link.call("update_default_images"))
    }

    /// `walt advanced sql`: psql on the server's database through a `REQ_SQL_PROMPT`
    /// stream, relayed as the other prompts (tty mode when stdin and stdout are terminals).
    func sql() throws(ClientError) -> Int32 {
        context.writeOutput(Self.sqlMessage + "\n")
        if case .signaled(let signal) = try PromptRequest.sqlPrompt.run(link.streamEndpoint) {
            return SessionExit.status(after: signal, context: context)
        }
        return 0
    }
}
