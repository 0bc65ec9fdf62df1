/// The podman argument vectors behind image sessions (upstream's walt-image-shell-helper,
/// walt-image-fs-helper and transfer.py's `docker_wrap_cmd`), without the global store
/// options `Podman.command` adds. The network is containers.conf's business (`netns`):
/// production lets image shells reach the network, as upstream, the sandbox cannot.
enum ImageSessionCommand {
    static let hostname = "image-shell"

    /// Finds what the shell session can use in the image (upstream's explore.sh).
    static let exploreScript = """
        if [ -x /bin/walt-image-shell-start -a -x /bin/walt-image-shell-shutdown ]; then echo __ADVANCED_SHELL_MODE__; fi; \
        if [ -x /bin/bash ]; then echo __SHELL__ /bin/bash; else echo __SHELL__ /bin/sh; fi; \
        if [ -d /root ]; then echo __ROOT_HOME__; fi
        """

    /// What the exploration found: the shell to run, whether the image boots its own
    /// init for shells (`walt-image-shell-start` / `-shutdown`), and whether it has /root
    /// (podman refuses a working directory that does not exist; upstream assumes it).
    struct Exploration: Equatable {
        var shell = "/bin/sh"
        var advanced = false
        var rootHome = false

        init(shell: String = "/bin/sh", advanced: Bool = false, rootHome: Bool = false) {
            self.shell = shell
            self.advanced = advanced
            self.rootHome = rootHome
        }

        init(output: String) {
            for line in output.split(separator: "\n") {
                let words = line.split(separator: " ")
                if words.first == "__ADVANCED_SHELL_MODE__" { advanced = true }
                if words.first == "__ROOT_HOME__" { rootHome = true }
                if words.first == "__SHELL__", words.count > 1, words[1].hasPrefix("/") { shell = String(words[1]) }
            }
        }
    }

    /// A container run once for `script` (from /root when the image has it), then removed.
    static func throwaway(_ image: String, script: String) -> [String] {
        ["run", "--rm", "--log-driver=none", "--entrypoint", "/bin/sh", image, "-c", "cd /root 2>/dev/null; " + script]
    }

    /// The session's shell (simple mode), on a terminal when the client has one.
    static func shell(image: String, container: String, explored: Exploration, terminal: Bool) -> [String] {
        ["run", terminal ? "-it" : "-i", "--log-driver=none", "--entrypoint", explored.shell, "-h", hostname,
         "--name", container] + workingDirectory(explored) + [image]
    }

    /// Advanced mode: the image's init in the background first...
    static func startInit(image: String, container: String, explored: Exploration) -> [String] {
        ["run", "-d", "--log-driver=none", "--systemd", "always", "--entrypoint", "/bin/walt-image-shell-start",
         "-h", hostname, "--name", container] + workingDirectory(explored) + [image]
    }

    private static func workingDirectory(_ explored: Exploration) -> [String] {
        explored.rootHome ? ["-w", "/root"] : []
    }

    /// ...then the shell beside it...
    static func execShell(container: String, shell: String, terminal: Bool) -> [String] {
        ["exec", terminal ? "-it" : "-i", container, shell]
    }

    /// ...and its shutdown at the end.
    static func shutdownInit(container: String) -> [String] {
        ["exec", container, "/bin/walt-image-shell-shutdown"]
    }

    static func simpleModeNote(_ newline: String) -> String {
        "Note: this is a limited virtual environment (with just the shell process).\(newline)"
            + "Run 'walt help show shells' for more info.\(newline)\(newline)"
    }

    static func advancedModeNote(_ newline: String) -> String {
        "Note: the OS was started in a virtual environment.\(newline)"
            + "Run 'walt help show shells' for more info.\(newline)\(newline)"
    }

    /// `REQ_TAR_FROM_IMAGE`: `path` sent as a tar whose top member is `name`.
    static func tarFromImage(image: String, container: String, path: String, name: String) -> [String] {
        wrapped(image: image, container: container, input: false,
                script: SessionCommand.tarSendScript(path: path, name: name))
    }

    /// `REQ_TAR_TO_IMAGE`: the client's tar unpacked in `directory`.
    static func tarToImage(image: String, container: String, directory: String) -> [String] {
        wrapped(image: image, container: container, input: true,
                script: "cd \(SessionCommand.quoted(SessionCommand.absolute(directory))) && tar x")
    }

    /// Upstream `docker_wrap_cmd`: the container is kept (named) so that the session can
    /// commit it; `sync` so that what was written is on disk before the commit. Paths are
    /// absolute already (relative ones are from /root), so no working directory is needed.
    private static func wrapped(image: String, container: String, input: Bool, script: String) -> [String] {
        ["run", "--log-driver=none", "-q"] + (input ? ["-i"] : []) + ["--name", container,
         "--entrypoint", "/bin/sh", image, "-c", "\(script); sync; sync"]
    }
}
