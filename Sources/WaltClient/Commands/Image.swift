/// `walt image ...`: the OS images of a user's working set.
///
/// Positional names, switch names, defaults and orderings are WalT 10.0's; the
/// descriptions are ours.
public enum ImageCommands {
    static let all: [CommandSpec] = [
        CommandSpec(
            "show", summary: "list the images of your working set", ordering: 1,
            switches: [
                .flag("all", help: "also list images of other users and default images"),
                .flag("names-only", help: "print only the image names"),
                .flag("refresh", help: "re-read the image list from podman storage first"),
            ]),
        CommandSpec(
            "search", summary: "look for images that can be cloned", ordering: 2,
            positionals: [Positional("keyword", default: "None")]),
        CommandSpec(
            "clone", summary: "copy an image from a registry or another user into your working set",
            ordering: 3,
            positionals: [Positional("clonable_image_link", "IMAGE_CLONE_URL"), Positional("image_name", default: "None")],
            switches: [.flag("force", help: "replace an image of the same name if there is one")]),
        CommandSpec(
            "shell", summary: "change an image from an interactive shell, then save it", ordering: 4,
            positionals: [Positional("image_name", "IMAGE")]),
        CommandSpec(
            "build", summary: "create an image from a Dockerfile", ordering: 5,
            positionals: [Positional("image_name", "IMAGE_BUILD_NAME")],
            switches: [
                .valued(["from-url"], "GIT_URL", help: "git repository holding the Dockerfile"),
                .valued(["sub-dir"], "PATH", help: "directory of that repository to build from"),
                .valued(["from-dir"], "DIRECTORY", help: "local directory holding the Dockerfile"),
            ],
            customUsage: CommandSpec.indentedUsage([
                "walt image build --from-url <git-repo-url> [--sub-dir <path>] <image-name>",
                "walt image build --from-dir <local-directory> <image-name>",
                "",
                "More in 'walt help show image-build'.",
            ])),
        CommandSpec(
            "cp", summary: "copy files between this machine and an image", ordering: 6,
            positionals: [Positional("src", "IMAGE_CP_SRC"), Positional("dst", "IMAGE_CP_DST")],
            customUsage: CommandSpec.indentedUsage([
                "walt image cp <local-path> <image>:<path>",
                "walt image cp <image>:<path> <local-path>",
            ])),
        CommandSpec(
            "duplicate", summary: "copy an image of your working set under a new name", ordering: 7,
            positionals: [Positional("image_name", "IMAGE"), Positional("new_image_name")]),
        CommandSpec(
            "remove", summary: "delete an image from your working set", ordering: 8,
            positionals: [Positional("image_name", "IMAGE")]),
        CommandSpec(
            "rename", summary: "give an image of your working set a new name", ordering: 9,
            positionals: [Positional("image_name", "IMAGE"), Positional("new_image_name")]),
        CommandSpec(
            "publish", summary: "push an image to the docker hub or another registry", ordering: 10,
            positionals: [Positional("image_name", "IMAGE")],
            switches: [.valued(["registry"], "REGISTRY", default: "auto", help: "label of the target registry")]),
        CommandSpec(
            "squash", summary: "merge the layers of an image into a single one", ordering: 11,
            positionals: [Positional("image_name", "IMAGE")]),
    ]
}
