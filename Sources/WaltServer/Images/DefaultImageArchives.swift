#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WaltCommon

/// The archives default images come from (`images.default-images-dir`): this server pulls
/// nothing from the docker hub, so `waltplatform/<model>-default` is imported from the
/// `*.tar` (docker-archive or oci-archive, told apart by skopeo) whose image lists `<model>` in its
/// `walt.node.models` label. What each archive holds is remembered by path, size and
/// modification time, so the directory is inspected once.
final class DefaultImageArchives: Sendable {
    struct Archive: Sendable, Equatable {
        var path: String
        /// `docker-archive` or `oci-archive`, as podman and skopeo name transports.
        var transport: String
        var models: [String]
        /// When its image was made (Unix time): `walt advanced update-default-images`
        /// takes an archive newer than the image podman has.
        var created: Int = 0
    }

    let directory: String
    let podman: Podman
    private let known = Mutex<[String: (stamp: String, archive: Archive?)]>([:])

    init(directory: String, podman: Podman) {
        self.directory = directory
        self.podman = podman
    }

    /// The first archive (by file name) providing `model`, nil if none does.
    func archive(for model: String) async -> Archive? {
        await archives(for: model).first
    }

    /// Every archive providing `model`, by file name.
    func archives(for model: String) async -> [Archive] {
        let names = ((try? FileTree.entries(directory)) ?? []).filter { $0.hasSuffix(".tar") }.sorted()
        var found: [Archive] = []
        for name in names {
            let path = directory + "/" + name
            if let archive = await inspect(path), archive.models.contains(model) { found.append(archive) }
        }
        return found
    }

    /// Upstream's choice among update candidates: the newest image, if newer than `created`.
    static func newest(_ archives: [Archive], after created: Int) -> Archive? {
        archives.filter { $0.created > created }.max { $0.created < $1.created }
    }

    /// What `path` holds, from the cache while the file is unchanged.
    func inspect(_ path: String) async -> Archive? {
        let stamp = Self.stamp(path)
        if let cached = known.withLock({ $0[path] }), cached.stamp == stamp { return cached.archive }
        var found: Archive?
        for transport in ["docker-archive", "oci-archive"] {
            guard let inspected = try? await podman.archiveInspect(transport, path) else { continue }
            let models = inspected.labels["walt.node.models"].map { $0.split(separator: ",").map(String.init) } ?? []
            found = Archive(path: path, transport: transport, models: models, created: inspected.created)
            break
        }
        known.withLock { $0[path] = (stamp, found) }
        return found
    }

    /// Size and modification time, which change when the file is replaced.
    static func stamp(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
