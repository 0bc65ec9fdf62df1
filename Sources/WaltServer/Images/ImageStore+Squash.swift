/// `walt image squash` (upstream images/squash.py and blocking/images/squash.py): the
/// image's layers become one, so that an image that reached the layer limit can be
/// modified again.
extension ImageStore {
    enum SquashStatus: String {
        case failed = "FAILED"
        case needsConfirm = "NEEDS_CONFIRM"
        case ok = "OK"
        case okRebootNodes = "OK_BUT_REBOOT_NODES"
    }

    func squash(_ requester: any Requester, _ imageName: String, confirmed: Bool,
                apply: () async -> Void) async throws -> SquashStatus {
        guard let image = try await exclusive({ try await userImage(requester, imageName) }) else { return .failed }
        if let holder = tasks.label(of: image) {
            try await requester.stderr(Self.busyMessage(imageName, label: holder))
            return .failed
        }
        if !confirmed, try await warnIfWouldRebootNodes(requester, image) { return .needsConfirm }
        if let holder = tasks.claim(image, label: "squash process") {
            try await requester.stderr(Self.busyMessage(imageName, label: holder))
            return .failed
        }
        defer { tasks.release(image) }
        let inUse = try await nodesUsing(image) > 0
        let container = "squash-" + ImageTasks.randomUUID()
        try await exclusive {
            try await registry.podman.buildah(["from", "--pull-never", "--name", container, image.podmanReference])
            do {
                try await commit(container: container, into: image, options: ["--squash"], buildah: true)
            } catch {
                _ = try? await registry.podman.buildah(["rm", container])
                throw error
            }
        }
        try await requester.stdout("Image was squashed successfully.\n")
        if inUse {
            await apply()
            return .okRebootNodes
        }
        return .ok
    }
}
