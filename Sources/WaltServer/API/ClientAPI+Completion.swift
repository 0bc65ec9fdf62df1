import WaltCommon

/// `shell_autocomplete(username, argv, debug=False)`: values for the completion scripts'
/// `walt-autocomplete-helper` (client-cli.md §6.13). Failures answer an empty string, as
/// upstream, because a shell completion must never print an error.
extension ClientAPI {
    static let completionMethods: [String: APIMethod] = [
        "shell_autocomplete": APIMethod(["username", "argv", "debug"], defaults: ["debug": false]) { context, args in
            let argv = (args["argv"].sequenceItems ?? []).compactMap(\.stringValue)
            guard let type = argv.first, let username = try? args.string("username") else { return .str("") }
            do {
                let possible = try await ShellCompletionSource(daemon: context.daemon, username: username, requester: context.requester).candidates(argv)
                return .str(ShellCompletion.finish(type: type, partial: argv.count > 1 ? argv[argv.count - 1] : "",
                                                   possible: possible))
            } catch {
                return .str("")
            }
        },
    ]
}
