/// `walt advanced ...`: administration and tooling commands.
///
/// WalT gives these no ordering, so they are listed by name. Positional and switch names
/// are WalT 10.0's; the descriptions are ours.
public enum AdvancedCommands {
    static let all: [CommandSpec] = [
        CommandSpec("sql", summary: "open an SQL prompt on the server's database"),
        CommandSpec(
            "fix-image-owner", summary: "take over the images of another user",
            positionals: [Positional("other_user")],
            switches: [.flag("yes-i-know-do-it-please", help: "confirm that you really mean it")]),
        CommandSpec(
            "update-hub-meta", summary: "index images pushed to the docker hub without walt",
            switches: [hubUserSwitch]),
        CommandSpec(
            "rescan-hub-account", summary: "another name for 'update-hub-meta'",
            switches: [hubUserSwitch]),
        CommandSpec("dump-bash-autocomplete", summary: "print the bash completion script", execution: .local),
        CommandSpec("dump-zsh-autocomplete", summary: "print the zsh completion script", execution: .local),
        CommandSpec("update-default-images", summary: "refresh the default images that free nodes boot"),
    ]

    /// Shared by `update-hub-meta` and its alias `rescan-hub-account`.
    static let hubUserSwitch = SwitchSpec.flag(
        "waltplatform-user", help: "work on the waltplatform hub account (for WalT developers)")
}
