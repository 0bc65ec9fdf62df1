import Logging
import WaltCommon
import WaltStore

/// The WalT images of this server (upstream `NodeImageStore` and the image manager): the
/// podman images labelled `walt.node.models`, mirrored in the `images` table (which
/// `nodes.image` references), and the operations users run on them. Operations run one
/// at a time (`exclusive`), as they did in upstream's single main process.
final class ImageStore: Sendable {
    let registry: ImageRegistry
    let store: PostgresStore
    let logger: Logger
    let archives: DefaultImageArchives
    /// `server.conf`'s registries (`walt image publish`, clone locations).
    let registries: [ServerConfig.Registry]
    /// Images held by sessions (shell, file transfer, squash) and their containers.
    let tasks = ImageTasks()
    private let lock = AsyncLock()

    init(settings: ImageSettings, stateDirectory: String, registries: [ServerConfig.Registry],
         store: PostgresStore, logger: Logger) {
        let podman = Podman(settings: settings)
        registry = ImageRegistry(podman: podman)
        archives = DefaultImageArchives(
            directory: settings.defaultImagesDirectory ?? stateDirectory + "/default-images", podman: podman)
        self.registries = registries
        self.store = store
        self.logger = logger
    }

    /// Runs `body` alone among image operations.
    func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        await lock.acquire()
        do {
            let result = try await body()
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw error
        }
    }

    /// At start: reads podman's images and brings the `images` table in line.
    func prepare() async throws {
        try await exclusive {
            try await registry.scan()
            try await resyncDatabase()
        }
    }

    /// Upstream `resync_from_registry`: WalT images podman has are recorded; recorded ones
    /// it lost are dropped, unless a node still names them (a default image not imported
    /// yet: the row is what `nodes.image` refers to).
    func resyncDatabase() async throws {
        let names = registry.waltImages.map(\.fullname)
        let dropped = try await store.transaction { db in
            for name in names {
                try db.query("INSERT INTO images (fullname) VALUES (\(name)) ON CONFLICT DO NOTHING")
            }
            return try db.query("""
                DELETE FROM images WHERE NOT (fullname = ANY(\(array: names)))
                AND fullname NOT IN (SELECT image FROM nodes WHERE image IS NOT NULL)
                RETURNING fullname
                """).rows.compactMap { $0["fullname"] }
        }
        for name in dropped {
            logger.warning("Unable to find image \(name). Hope it is not used and remove it.")
        }
    }

    /// A WalT image of this server (podman has it, with `walt.node.models`).
    func contains(_ name: ImageName) -> Bool {
        name.user != "walt" && registry.metadata(name)?.nodeModels != nil
    }

    func userHasImages(_ username: String) -> Bool {
        registry.waltImages.contains { $0.user == username }
    }

    /// Records a new name in the `images` table (podman has it already).
    func register(_ name: ImageName) async throws {
        try await store.query("INSERT INTO images (fullname) VALUES (\(name.fullname)) ON CONFLICT DO NOTHING")
    }

    /// How many nodes boot `name`.
    func nodesUsing(_ name: ImageName) async throws -> Int {
        let result = try await store.query("SELECT count(*) AS n FROM nodes WHERE image = \(name.fullname)", idempotent: true)
        return Int(result.first?["n"] ?? "0") ?? 0
    }

    /// Upstream `get_user_image_from_name`: the requester's image called `name`. A user
    /// without images first gets clones of the default images. `expected` true: an
    /// error when missing; false: an error when it exists; nil: no message.
    func userImage(_ requester: any Requester, _ name: String, expected: Bool? = true) async throws -> ImageName? {
        guard let username = try await requester.username(), !username.isEmpty else { return nil }
        let image = ImageName(user: username, name: name)
        if !contains(image) && !userHasImages(username) {
            _ = try await clonesOfDefaultImages(requester, username: username, nodes: try await allNodes())
        }
        let found = contains(image)
        if expected == true && !found {
            try await requester.stderr("Error: No such image '\(name)'. (tip: walt image show)\n")
        }
        if expected == false && found {
            try await requester.stderr("Error: Image '\(name)' already exists.\n")
        }
        return found ? image : nil
    }

    /// Upstream `get_user_unused_image_from_name`: as `userImage`, refused while in use.
    func userUnusedImage(_ requester: any Requester, _ name: String) async throws -> ImageName? {
        guard let image = try await userImage(requester, name) else { return nil }
        if try await nodesUsing(image) > 0 {
            try await requester.stderr("Sorry, cannot proceed because the image is in use.\n")
            return nil
        }
        return image
    }

    /// Every node's name and model, by name.
    func allNodes() async throws -> [(name: String, model: String)] {
        let result = try await store.query(
            "SELECT d.name, n.model FROM devices d, nodes n WHERE d.mac = n.mac ORDER BY d.name", idempotent: true)
        return result.rows.map { ($0["name"] ?? "", $0["model"] ?? "") }
    }
}
