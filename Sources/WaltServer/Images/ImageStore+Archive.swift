import WaltCommon

/// Cloning from a local archive (`docker-archive:/path`, `oci-archive:/path`), and the
/// overwrite checks every clone makes (upstream `verify_compatibility_issue`,
/// `verify_overwrite`).
extension ImageStore {
    func cloneArchive(_ requester: any Requester, username: String, transport: String, path: String,
                      link: String, force: Bool, imageName: String?) async throws -> CloneOutcome {
        guard path.hasPrefix("/"), FileTree.kind(path) == .other else {
            try await requester.stderr("Sorry, cannot clone '\(link)': no such archive file on the server (an absolute path is expected).\n")
            return .failed
        }
        // The phase and its size on the client's busy line: a large archive takes a while.
        let file = path.split(separator: "/").last.map(String.init) ?? path
        try await requester.setBusyLabel("Loading \(file) (\(ByteSize.text(ByteSize.ofFile(path) ?? 0)))")
        let loaded: String
        do {
            loaded = try await registry.podman.load(path)
        } catch {
            try await requester.stderr("Sorry, cannot load '\(link)': \(error)\n")
            return .failed
        }
        // podman load moves the archive's name onto the loaded image: put it back.
        let loadedName = ImageName.fromPodman(loaded)
        let previousID = loadedName.flatMap(registry.imageID)
        guard let metadata = try await registry.inspect(loaded) else {
            try await requester.stderr("Sorry, cannot inspect the image of '\(link)'.\n")
            return .failed
        }
        func restoreName() async {
            guard loadedName != nil else { return }
            if let previousID, previousID != metadata.id {
                try? await registry.podman.tag(previousID, loaded)
            } else if previousID == nil {
                try? await registry.podman.untag(loaded)
            }
        }
        func discard() async {
            await restoreName()
            try? await registry.podman.untag(metadata.id)
        }
        guard let models = metadata.nodeModels else {
            await discard()
            try await requester.stderr("Failed. This remote image does not indicate compatible node models.\n")
            return .failed
        }
        let remoteName = loadedName.map { String($0.fullname.split(separator: "/")[1]) }
            ?? String(path.split(separator: "/").last ?? "image").replacingAll(".tar", with: "")
        let target = ImageName(user: username, name: try await chosenName(requester, imageName, default: Substring(remoteName)))
        if let problem = ImageName.validationError(target.name) {
            await discard()
            try await requester.stderr(problem)
            return .failed
        }
        let existing = contains(target)
        if existing, !(try await mayOverwrite(requester, target, models: models, link: link, force: force, imageName: imageName)) {
            await discard()
            return .failed
        }
        if loadedName == target {
            // The load already gave it the name; the image it replaced goes unless named otherwise.
            if let previousID, previousID != metadata.id { try? await registry.podman.untag(previousID) }
            try await registry.refresh(target)
        } else {
            try await registry.tag(metadata.id, as: target)
            await restoreName()
        }
        try await register(target)
        return existing ? .okRebootNodes(name: target.name, image: target) : .ok(name: target.name)
    }

    /// Whether a clone may replace the user's image `target`: not if nodes booting it have
    /// models `models` lacks, and only with `force`.
    func mayOverwrite(_ requester: any Requester, _ target: ImageName, models: [String], link: String,
                      force: Bool, imageName: String?) async throws -> Bool {
        let needed = try await store.query("SELECT DISTINCT model FROM nodes WHERE image = \(target.fullname)", idempotent: true)
            .rows.compactMap { $0["model"] }
        let incompatible = Set(needed).subtracting(models)
        if !incompatible.isEmpty {
            try await requester.stderr(SentenceFormat.format("""
                Sorry, cannot proceed. There is an image with the same name in your
                working set. Overriding it is not allowed because it is currently
                in use, and the target image is not compatible with %s.

                """, items: Array(incompatible), none: "None", singular: "node model", plural: "node models"))
            return false
        }
        if force { return true }
        guard let clientType = try await requester.call("get_client_type", []).stringValue else { return false }
        let nodes = try await nodesUsing(target)
        var message = "An image has the same name in your working set.\nThis operation would overwrite it"
            + (nodes == 0 ? "" : " (and reboot \(nodes) node(s))") + ".\n"
        if clientType == "cli" {
            var command = "walt image clone --force " + link
            if let imageName, !link.hasSuffix(imageName) { command += " " + imageName }
            message += "If this is what you want, rerun with --force:\n$ \(command)\n"
        } else if clientType == "api" {
            message += "If this is what you want, use force=True.\n"
        }
        try await requester.stderr(message)
        return false
    }
}
