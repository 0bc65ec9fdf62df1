import WaltCommon

/// `walt image shell` and `walt image cp` sessions (upstream images/manager.py
/// `create_shell_session`, images/shell.py, blocking/images/commit.py): opening one on an
/// image, saving its container under a name, and the overwrite messages they share with
/// builds and squash.
extension ImageStore {
    enum SaveStatus: String {
        case nameNotOK = "NAME_NOT_OK"
        case nameNeedsConfirm = "NAME_NEEDS_CONFIRM"
        case saved = "OK_SAVED"
        /// Saved over the session's own image: nodes booting it must reboot.
        case savedRebootNodes = "OK_BUT_REBOOT_NODES"
    }

    static func overwriteWarning(nodes: Int) -> String {
        "An image has the same name in your working set.\nThis operation would overwrite it"
            + (nodes == 0 ? "" : " (and reboot \(nodes) node(s))") + ".\n"
    }

    /// Upstream `get_image_overwrite_warning`.
    func overwriteWarning(_ image: ImageName) async throws -> String {
        Self.overwriteWarning(nodes: try await nodesUsing(image))
    }

    /// Upstream `warn_if_would_reboot_nodes`: true (after the warning) when nodes boot `image`.
    func warnIfWouldRebootNodes(_ requester: any Requester, _ image: ImageName) async throws -> Bool {
        let nodes = try await nodesUsing(image)
        guard nodes > 0 else { return false }
        try await requester.stderr("This operation would reboot \(nodes) node(s) currently using the image.\n")
        return true
    }

    static func busyMessage(_ imageName: String, label: String) -> String {
        "Cannot open image \(imageName) because a \(label) is already running.\n"
    }

    /// A session on the requester's image `imageName`, or nil after saying why not.
    func openShellSession(_ requester: any Requester, _ imageName: String, taskLabel: String) async throws -> ImageShellSession? {
        guard let image = try await exclusive({ try await userImage(requester, imageName) }) else { return nil }
        if registry.metadata(image)?.editable == false {
            try await requester.stderr("""
                Cannot open image \(imageName) because it has already reached its max number of layers.
                (tip: walt image squash \(imageName))

                """)
            return nil
        }
        if let holder = tasks.claim(image, label: taskLabel) {
            try await requester.stderr(Self.busyMessage(imageName, label: holder))
            return nil
        }
        return ImageShellSession(images: self, image: image)
    }

    /// The name checks of a save, in upstream's order: saving over the session's own
    /// image needs a confirmation, and another existing image is never overwritten.
    static func saveNameStatus(sessionImage: ImageName, target: ImageName, confirmed: Bool,
                               targetExists: Bool) -> SaveStatus? {
        if sessionImage == target { return confirmed ? nil : .nameNeedsConfirm }
        return targetExists ? .nameNotOK : nil
    }

    /// Saves the session's container as `target` once it stopped; `apply` then brings
    /// the mounts in line. Returns nil when nothing could be saved (said to the client).
    func save(_ session: ImageShellSession, _ requester: any Requester, as target: ImageName, confirmed: Bool,
              apply: () async -> Void) async throws -> SaveStatus? {
        switch Self.saveNameStatus(sessionImage: session.image, target: target, confirmed: confirmed,
                                   targetExists: contains(target)) {
        case .nameNeedsConfirm:
            try await requester.stderr(try await overwriteWarning(target))
            return .nameNeedsConfirm
        case .nameNotOK:
            try await requester.stderr("Bad name: Image already exists.\n")
            return .nameNotOK
        default:
            break
        }
        guard session.advance(from: .open, to: .saving) else {
            try await requester.stderr("This session was already saved or closed.\n")
            return nil
        }
        let container = session.containerName
        // `walt image cp` calls the save right after its stream: the container must be done.
        let waited = try await registry.podman.command(["wait", container]).runInBackground()
        guard waited.succeeded else {
            try await requester.stderr("Sorry, there is nothing to save: the session's container did not run.\n")
            _ = session.advance(from: .saving, to: .done)
            await session.close()
            return nil
        }
        logger.info("committing \(container)...")
        let options = try await configKept(session.image)
        try await exclusive {
            try await commit(container: container, into: target, options: options)
        }
        await apply()
        _ = session.advance(from: .saving, to: .done)
        await session.close()
        if session.image == target {
            try await requester.stdout("Image \(target.name) updated.\n")
            return .savedRebootNodes
        }
        try await requester.stdout("New image \(target.name) saved.\n")
        return .saved
    }

    /// Upstream `commit`: the container becomes image `target` (docker format, so older
    /// servers can read it; labels come with the configuration). An image already called
    /// `target` gives its name up only once the new one exists, so it never dangles half-made.
    /// `buildah` commits a buildah working container (squash), podman a podman one.
    func commit(container: String, into target: ImageName, options: [String] = [], buildah: Bool = false) async throws {
        let podman = registry.podman
        let tool = { (arguments: [String]) async throws -> Void in
            _ = buildah ? try await podman.buildah(arguments) : try await podman.run(arguments)
        }
        let remove = buildah ? ["rm", container] : ["rm", "-f", container]
        if registry.contains(target) {
            let temporary = ImageName(user: "walt", name: "commit-temp:" + ImageTasks.randomUUID().prefix(8))
            try await tool(["commit", "-q", "-f", "docker"] + options + [container, temporary.podmanReference])
            try await tool(remove)
            try await registry.tag(temporary.podmanReference, as: target)
            try await podman.untag(temporary.podmanReference)
        } else {
            try await tool(["commit", "-q", "-f", "docker"] + options + [container, target.podmanReference])
            try await tool(remove)
            try await registry.refresh(target)
        }
        try await register(target)
    }

    /// `podman commit` records the session container's entrypoint, command and working
    /// directory (`/bin/sh -c <transfer script>` for `walt image cp`): these options put
    /// the image's own back.
    func configKept(_ image: ImageName) async throws -> [String] {
        let sep = Podman.labelSeparator
        let output = try await registry.podman.run([
            "image", "inspect", "--format",
            Podman.recordMark + "{{json .Config.Entrypoint}}\(sep){{json .Config.Cmd}}\(sep){{.Config.WorkingDir}}",
            image.podmanReference,
        ])
        guard let record = Podman.records(output).first else { return [] }
        let fields = record.split(separator: Character(sep), omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { return [] }
        return Self.configChanges(entrypoint: fields[0], command: fields[1], workingDirectory: fields[2])
    }

    /// `--change` options restoring a configuration (JSON arrays as podman prints them).
    static func configChanges(entrypoint: String, command: String, workingDirectory: String) -> [String] {
        let array = { (json: String) in json == "null" || json.isEmpty ? "[]" : json }
        return ["--change", "ENTRYPOINT " + array(entrypoint), "--change", "CMD " + array(command),
                "--change", "WORKDIR " + (workingDirectory.isEmpty ? "/" : workingDirectory)]
    }

    /// Removes a session's container, whatever its state (gone already is fine).
    func removeContainer(_ name: String) async {
        do {
            try await registry.podman.run(["rm", "-f", "--ignore", name])
        } catch {
            logger.warning("could not remove container \(name): \(error)")
        }
    }
}
