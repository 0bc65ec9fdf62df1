#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization
import WaltCommon
import WaltStore

/// Mounts the images nodes boot (upstream `walt-image-mount`, simplified): `podman image
/// mount` gives the image's root filesystem, which is bind-mounted on
/// `<state>/images/<image id>/fs`, the path the node tree links to and NFS exports.
/// Driven by `BootServices` passes: mount new → exports → unmount old → node tree.
final class ImageMounter: Sendable {
    let registry: ImageRegistry
    let imagesDirectory: String
    let logger: Logger
    private let mounts: Mutex<ImageMounts>

    init(registry: ImageRegistry, stateDirectory: String, grace: Double, logger: Logger) {
        self.registry = registry
        imagesDirectory = stateDirectory + "/images"
        self.logger = logger
        var mounts = ImageMounts()
        mounts.grace = grace
        mounts.margin = min(ImageMounts.wakeMargin, grace)
        self.mounts = Mutex(mounts)
    }

    func path(_ id: String) -> String { imagesDirectory + "/" + id + "/fs" }

    /// The id of the image `fullname` if it is mounted (the node tree's `imageIDs`).
    func mountedID(_ fullname: String) -> String? {
        guard let image = ImageName(fullname: fullname), let id = registry.imageID(image) else { return nil }
        return mounts.withLock { $0.mounted.contains(id) } ? id : nil
    }

    var mounted: Set<String> { mounts.withLock { $0.mounted } }

    /// When the next pass is due to unmount images past their grace time.
    var nextWake: Double? { mounts.withLock { $0.nextWake } }

    /// Mounts what `inUse` (image fullnames) needs, calls `export` with the images to
    /// export, then unmounts what waited long enough. Failures are logged: a node whose
    /// image is not mounted boots `tftp-static`, which retries.
    func update(inUse: Set<String>, now: Double, cleanup: Bool = false,
                export: ([NFSExports.Image]) async throws -> Void) async throws {
        var needed: Set<String> = []
        for fullname in inUse {
            guard let image = ImageName(fullname: fullname) else { continue }
            if let id = registry.imageID(image) { needed.insert(id) }
        }
        let plan = mounts.withLock { cleanup ? $0.planCleanup() : $0.plan(needed: needed, now: now) }
        var failed: Set<String> = []
        for id in plan.toMount.sorted() {
            do {
                try await mount(id)
                mounts.withLock { $0.didMount(id) }
            } catch {
                failed.insert(id)
                logger.error("cannot mount image \(id): \(error)")
            }
        }
        try await export(plan.exported.subtracting(failed).sorted().map { NFSExports.Image(path: path($0), imageID: $0) })
        for id in plan.toUnmount.sorted() {
            do {
                try await unmount(id)
            } catch {
                logger.error("cannot unmount image \(id): \(error)")
            }
            mounts.withLock { $0.didUnmount(id) }
        }
    }

    private func mount(_ id: String) async throws {
        let source = try await registry.podman.mount(id)
        let target = path(id)
        try FileTree.createDirectories(target)
        if Self.isMountPoint(target) { _ = try? await Self.system("umount", [target]) }
        do {
            try await Self.system("mount", ["--bind", source, target])
        } catch {
            try? await registry.podman.unmount(id)
            throw error
        }
    }

    private func unmount(_ id: String) async throws {
        let target = path(id)
        if Self.isMountPoint(target) { try await Self.system("umount", [target]) }
        try await registry.podman.unmount(id)
        // rmdir, never a recursive removal: a mount still there must keep its files.
        rmdir(target)
        rmdir(imagesDirectory + "/" + id)
    }

    /// Runs util-linux's `mount`/`umount`.
    @discardableResult
    static func system(_ name: String, _ arguments: [String]) async throws -> String {
        let executable = Subprocess.firstExecutable(among: ["/usr/bin/" + name, "/bin/" + name]) ?? "/bin/" + name
        return try await Podman.checked(Subprocess(executable: executable, arguments: arguments), what: name)
    }

    /// Whether `path` is listed in /proc/self/mounts (a bind mount left by a crash).
    static func isMountPoint(_ path: String) -> Bool {
        guard let text = try? TextFile.read("/proc/self/mounts", limit: 16 << 20) else { return false }
        return text.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == Substring(path) }
    }
}
