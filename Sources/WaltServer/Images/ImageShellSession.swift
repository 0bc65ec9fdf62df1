import Synchronization

/// An open `walt image shell` or `walt image cp` session (upstream `ImageShellSession`):
/// the image it holds and the name of the container the client's stream runs on it.
/// Saving commits that container; a client that leaves before saving gets its container
/// removed and the image released, while one that leaves during the save lets it finish.
final class ImageShellSession: ConnectionSession {
    enum Stage: Equatable {
        case open
        /// The save is under way (container committed, mounts updated).
        case saving
        case done
    }

    let images: ImageStore
    let image: ImageName
    let containerName: String
    private let stage = Mutex(Stage.open)

    init(images: ImageStore, image: ImageName) {
        self.images = images
        self.image = image
        containerName = ImageTasks.randomUUID()
        images.tasks.openContainer(containerName, image: image)
    }

    /// Moves to `next` only from `expected`; false when another stage was reached already.
    func advance(from expected: Stage, to next: Stage) -> Bool {
        stage.withLock { stage in
            guard stage == expected else { return false }
            stage = next
            return true
        }
    }

    /// Removes the container and releases the image.
    func close() async {
        images.tasks.closeContainer(containerName)
        await images.removeContainer(containerName)
        images.tasks.release(image)
    }

    func cleanup() async {
        let current = stage.withLock { $0 }
        switch current {
        case .open:
            images.logger.debug("image session cleanup (early abort)", metadata: ["container": "\(containerName)"])
            _ = advance(from: .open, to: .done)
            await close()
        case .saving:
            images.logger.debug("image session cleanup delayed (image update in progress)")
        case .done:
            break
        }
    }
}
