import WaltStore

/// Default images as nodes appear (upstream nodes/register.py): a node of a model whose
/// `waltplatform/<model>-default` podman lacks gets it imported from the archives
/// directory, with upstream's platform log lines, then the boot services mount it.
extension DaemonState {
    /// After a registration: `nodeName` is a new node of `model`. Runs in the background
    /// (walt-dhcp-event, and thus dhcpd, must not wait for an import).
    func provideDefaultImage(model: String, nodeName: String) async {
        guard let images else { return }
        let image = ImageName.defaultImage(model: model)
        if images.registry.contains(image) { return }
        await platformLog.log("devices", "Device \(nodeName) is a walt node of type '\(model)'.")
        await platformLog.log("devices", "Trying to download a default image for '\(model)' nodes: \(image.fullname)...")
        await report(images.importDefaultImage(model: model), image: image, model: model, directory: images.archives.directory)
    }

    /// At start: the default images of the models of known nodes.
    func provideDefaultImagesOfKnownModels() async {
        guard let images else { return }
        let models: [String]
        do {
            models = try await store.query("SELECT DISTINCT model FROM nodes WHERE model IS NOT NULL ORDER BY model",
                                           idempotent: true).rows.compactMap { $0["model"] }
        } catch {
            logger.error("cannot list node models: \(error)")
            return
        }
        for model in models {
            let image = ImageName.defaultImage(model: model)
            if images.registry.contains(image) { continue }
            let outcome = await images.importDefaultImage(model: model)
            if case .imported = outcome {
                await platformLog.log("devices", "Image \(image.fullname) was downloaded successfully.")
                devicesChanged()
            } else {
                logger.warning("no default image for '\(model)' nodes: \(outcome)")
            }
        }
    }

    private func report(_ outcome: ImageStore.DefaultImport, image: ImageName, model: String, directory: String) async {
        switch outcome {
        case .present, .imported:
            await platformLog.log("devices", "Image \(image.fullname) was downloaded successfully.")
            devicesChanged()
        case .missing:
            await platformLog.log("devices", "failed to find \(image.fullname): no archive in \(directory) is for '\(model)' nodes (label walt.node.models).", error: true)
        case .failed(let problem):
            await platformLog.log("devices", "failed to import \(image.fullname): \(problem)", error: true)
        }
    }
}
