import WaltCommon

/// Default images: importing `waltplatform/<model>-default` from the archives directory
/// when a node of a new model appears, and cloning them into a new user's working set.
extension ImageStore {
    /// What importing a default image did, for the platform log.
    enum DefaultImport: Equatable {
        case present
        case imported(archive: String)
        case missing
        case failed(String)
    }

    /// Imports `waltplatform/<model>-default:latest` unless podman has it: loads the first
    /// archive whose image is for `model` and names it so.
    func importDefaultImage(model: String) async -> DefaultImport {
        let target = ImageName.defaultImage(model: model)
        do {
            return try await exclusive {
                if registry.contains(target) { return .present }
                guard let archive = await archives.archive(for: model) else { return .missing }
                try await load(archive, as: target)
                return .imported(archive: archive.path)
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// Loads `archive` and names its image `target` (taking the name from an older image,
    /// which keeps its other names); the archive's own name goes unless it was there before.
    private func load(_ archive: DefaultImageArchives.Archive, as target: ImageName) async throws {
        let loaded = try await registry.podman.load(archive.path)
        let loadedName = ImageName.fromPodman(loaded)
        let wasThere = loadedName.map(registry.contains) ?? false
        try await registry.tag(loaded, as: target)
        if let loadedName, loadedName != target, !wasThere {
            try await registry.podman.untag(loaded)
        }
        try await register(target)
    }

    /// The model a default image name is for (`waltplatform/<model>-default:latest`).
    static func defaultImageModel(_ image: ImageName) -> String? {
        let (prefix, suffix) = ("waltplatform/", "-default:latest")
        let text = image.fullname
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count > prefix.count + suffix.count else { return nil }
        return String(text.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// Upstream `update_default_images` (`walt advanced update-default-images`): each
    /// default image podman has is replaced by the newest archive for its model that is
    /// newer than it (upstream asks the registries; this server's source of default images
    /// is the archives directory). Returns the images that changed, whose nodes reboot.
    func updateDefaultImages(_ requester: any Requester) async throws -> [ImageName] {
        try await requester.stdout("Checking the archives of default images...\n")
        let updated = try await exclusive {
            var updates: [(image: ImageName, archive: DefaultImageArchives.Archive)] = []
            for image in registry.waltImages.sorted(by: { $0.fullname < $1.fullname }) {
                guard let model = Self.defaultImageModel(image), let created = registry.metadata(image)?.created,
                      let archive = DefaultImageArchives.newest(await archives.archives(for: model), after: created) else { continue }
                updates.append((image, archive))
            }
            if updates.isEmpty { try await requester.stdout("No updates available.\n") }
            for (image, archive) in updates {
                try await requester.stdout("Updating \(image.fullname) using a newer version from \(archive.path)...\n")
                try await load(archive, as: image)
            }
            if !updates.isEmpty { try await resyncDatabase() }
            return updates.map(\.image)
        }
        return updated
    }

    /// Upstream `get_clones_of_default_images`: for each model among `nodes`, the default
    /// image is tagged into the user's working set (under its `walt.image.preferred-name`
    /// label, else its own name) unless there already. Returns whether it went through,
    /// whether anything was cloned, and the image name each node would boot.
    func clonesOfDefaultImages(_ requester: any Requester, username: String,
                               nodes: [(name: String, model: String)]) async throws -> (Bool, Bool, [(String, String)]) {
        var remaining = nodes
        var updated = false
        var perNode: [(String, String)] = []
        while let model = remaining.first?.model {
            let defaultImage = ImageName.defaultImage(model: model)
            guard let metadata = registry.metadata(defaultImage), let models = metadata.nodeModels else {
                // Not imported (no archive for it): nothing to clone for these nodes.
                remaining.removeAll { $0.model == model }
                continue
            }
            var imageName = metadata.labels["walt.image.preferred-name"]
                ?? String(defaultImage.fullname.split(separator: "/")[1])
            if !imageName.contains(":") { imageName += ":latest" }
            let clone = ImageName(user: username, name: imageName)
            if !contains(clone) {
                if !updated {
                    updated = true
                    try await requester.setBusyLabel("Cloning default images")
                }
                try await registry.tag(defaultImage, as: clone)
                try await register(clone)
                try await requester.stdout("Cloned \(imageName), a defaut image for \(metadata.nodeModelsDescription).\n")
            }
            let served = Set(models + [model])
            perNode += remaining.filter { served.contains($0.model) }.map { ($0.name, imageName) }
            remaining.removeAll { served.contains($0.model) }
        }
        if updated { _ = try await requester.call("set_default_busy_label", []) }
        return (true, updated, perNode)
    }
}
