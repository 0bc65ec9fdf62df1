import WaltCommon

/// Remote paths for `walt node cp` / `walt image cp` completion (upstream reads the node's
/// or the image's file system): the entries that start with the typed path, directories
/// with a trailing `/`, listed by one shell loop on the node (over ssh) or in a throwaway
/// container of the image. Failures (node down, no such image) propose nothing.
struct RemotePathCompletion {
    let daemon: DaemonState

    /// The loop: the typed prefix quoted, the glob outside the quotes.
    static func script(_ prefix: String) -> String {
        "for p in \(SessionCommand.quoted(prefix))*; do if [ -d \"$p\" ]; then echo \"$p/\"; "
            + "elif [ -e \"$p\" ]; then echo \"$p\"; fi; done"
    }

    func onNode(named name: String, prefix: String) async throws -> [String] {
        guard let node = try await DeviceQueries(daemon: daemon).info(name: name), let ip = node.ip,
              let ssh = Subprocess.firstExecutable(among: ["/usr/bin/ssh", "/bin/ssh", "/usr/local/bin/ssh"])
        else { return [] }
        try daemon.nodeKeys.ensure()
        // The shell's completion waits for this: a short connect timeout, no prompts.
        var argv = SessionCommand(keys: daemon.nodeKeys).ssh(to: ip, remote: Self.script(prefix))
        argv.removeFirst()
        let outcome = try await Subprocess(executable: ssh, arguments: ["-o", "BatchMode=yes", "-o", "ConnectTimeout=2"] + argv)
            .runInBackground()
        return outcome.succeeded ? Self.lines(outcome.output) : []
    }

    func inImage(_ image: ImageName, prefix: String) async throws -> [String] {
        guard let store = daemon.images, let id = store.registry.imageID(image) else { return [] }
        let outcome = try await store.registry.podman.command(ImageSessionCommand.throwaway(id, script: Self.script(prefix)))
            .runInBackground()
        return outcome.succeeded ? Self.lines(outcome.output) : []
    }

    static func lines(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }
}
