import Synchronization

/// podman's images as WalT names them (upstream `WalTLocalRegistry`): a cache of names
/// to image ids and of each id's metadata, so that tables and the node tree are built
/// without running podman; every change made through it keeps the cache right, and
/// `scan()` rereads podman (at start, and for `walt image show --refresh`).
final class ImageRegistry: Sendable {
    let podman: Podman
    private struct Cache {
        var ids: [ImageName: String] = [:]
        var metadata: [String: ImageMetadata] = [:]
    }
    private let cache = Mutex(Cache())

    init(podman: Podman) {
        self.podman = podman
    }

    /// Rereads podman's names, and inspects the images not inspected yet.
    func scan() async throws {
        var ids: [ImageName: String] = [:]
        for (reference, id) in try await podman.listImages() {
            if let name = ImageName.fromPodman(reference) { ids[name] = id }
        }
        let known = cache.withLock { $0.metadata }
        let missing = Set(ids.values).subtracting(known.keys)
        let inspected = try await podman.inspect(missing.sorted())
        cache.withLock { cache in
            cache.ids = ids
            cache.metadata = known.filter { Set(ids.values).contains($0.key) }
            for metadata in inspected { cache.metadata[metadata.id] = metadata }
        }
    }

    func imageID(_ name: ImageName) -> String? {
        cache.withLock { $0.ids[name] }
    }

    func metadata(_ name: ImageName) -> ImageMetadata? {
        cache.withLock { cache in cache.ids[name].flatMap { cache.metadata[$0] } }
    }

    func contains(_ name: ImageName) -> Bool { imageID(name) != nil }

    /// Upstream `get_images`: the names of WalT images (with `walt.node.models`), without
    /// the server's own `walt/...` temporary names.
    var waltImages: [ImageName] {
        cache.withLock { cache in
            cache.ids.compactMap { name, id in
                name.user != "walt" && cache.metadata[id]?.nodeModels != nil ? name : nil
            }.sorted()
        }
    }

    /// Gives `name` to the image `source` (a name or an id). An image that already had
    /// that name loses it first, so that it does not linger as a dangling image.
    func tag(_ source: String, as name: ImageName) async throws {
        if contains(name) { try await podman.untag(name.podmanReference) }
        try await podman.tag(source, name.podmanReference)
        try await refresh(name)
    }

    func tag(_ source: ImageName, as name: ImageName) async throws {
        try await tag(imageID(source) ?? source.podmanReference, as: name)
    }

    /// Removes a name (and the image with its last name).
    func untag(_ name: ImageName, ignoreMissing: Bool = false) async throws {
        if ignoreMissing && !contains(name) { return }
        try await podman.untag(name.podmanReference)
        _ = cache.withLock { $0.ids.removeValue(forKey: name) }
    }

    /// Rereads one name from podman (after a tag, a load or a commit).
    func refresh(_ name: ImageName) async throws {
        let inspected = try await podman.inspect([name.podmanReference]).first
        cache.withLock { cache in
            cache.ids[name] = inspected?.id
            if let inspected { cache.metadata[inspected.id] = inspected }
        }
    }

    /// Metadata of an image given by name or id, inspected now (not cached: it may be an
    /// image about to be removed, such as one just loaded from an archive).
    func inspect(_ reference: String) async throws -> ImageMetadata? {
        try await podman.inspect([reference]).first
    }
}
