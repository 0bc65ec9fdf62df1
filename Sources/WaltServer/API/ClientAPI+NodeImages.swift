import WaltCommon

/// CSAPI methods that make images out of nodes or archives (upstream server.py
/// `node_cp_to_booted_image`, images/build.py `run_image_build_from_node_diff`, images/store.py
/// `update_default_images`): `walt node cp <node>:<path> booted-image`, `walt node save` and
/// `walt advanced update-default-images`.
extension ClientAPI {
    static let nodeImageMethods: [String: APIMethod] = [
        "node_cp_to_booted_image": APIMethod(["node_name", "src_path", "dst_dir", "dst_name"]) { context, args in
            try await copyToBootedImage(context, nodeName: try args.string("node_name"), srcPath: try args.string("src_path"),
                                        dstDirectory: try args.string("dst_dir"), dstName: try args.string("dst_name"))
            return .none
        },
        "run_image_build_from_node_diff": APIMethod(["session_id"]) { context, args in
            guard let images = try await imageStore(context),
                  let session = context.sessions.object(args["session_id"].intValue?.intValue, as: ImageBuildSession.self),
                  let nodeName = session.value("node_name") else { return false }
            return .bool(try await buildFromNodeDiff(context, images, session, nodeName: nodeName))
        },
        "update_default_images": APIMethod { context, _ in
            guard let images = try await imageStore(context) else { return .none }
            let updated = try await images.updateDefaultImages(context.requester)
            if !updated.isEmpty {
                await context.daemon.imagesChanged()
                // Upstream ignores the reboot's status.
                _ = try await rebootNodesAfterImageChange(context, updated)
            }
            return .none
        },
    ]

    /// Upstream `node_cp_to_booted_image`: the path goes from the node into a "file
    /// transfer" session's container of the image it booted, which is saved over that image
    /// (nodes using it reboot). The node's tar lands in a file first, so that a failed
    /// read leaves the image alone (upstream would still save the container).
    static func copyToBootedImage(_ context: APIContext, nodeName: String, srcPath: String, dstDirectory: String,
                                  dstName: String) async throws {
        let requester = context.requester
        guard let images = try await imageStore(context),
              let node = try await DeviceSets(daemon: context.daemon, requester: requester).node(named: nodeName) else { return }
        guard let ip = node.ip, let image = node.image.flatMap(ImageName.init(fullname:)) else {
            try await requester.stderr("Sorry, \(node.name) has no IP address or no image.\n")
            return
        }
        guard let session = try await images.openShellSession(requester, image.name, taskLabel: "file transfer") else { return }
        // Cleaned up (container removed, image released) if the client leaves early.
        _ = context.sessions.register(session)
        try await requester.setBusyLabel("Transfering")
        let work = try ImageBuilder.makeWorkDirectory()
        defer { ImageBuilder.removeWorkDirectory(work) }
        let tar = work + "/transfer.tar"
        try context.daemon.nodeKeys.ensure()
        var argv = SessionCommand(keys: context.daemon.nodeKeys).tarFromNode(ip: ip, path: srcPath, name: dstName)
        argv.removeFirst()
        var fromNode = Subprocess(executable: Subprocess.firstExecutable(among: ["/usr/bin/ssh", "/usr/local/bin/ssh"]) ?? "/usr/bin/ssh",
                                  arguments: ["-o", "BatchMode=yes"] + argv)
        fromNode.outputFile = tar
        let sent = try await fromNode.runInBackground()
        var toImage = images.registry.podman.command(ImageSessionCommand.tarToImage(
            image: images.registry.imageID(image) ?? image.podmanReference, container: session.containerName,
            directory: dstDirectory))
        toImage.inputFile = tar
        let received = sent.succeeded ? try await toImage.runInBackground() : sent
        _ = try await requester.call("set_default_busy_label", [])
        guard received.succeeded else {
            let last = received.output.split(separator: "\n").last.map(String.init) ?? "exit status \(received.exitStatus)"
            try await requester.stderr("Sorry, the transfer failed: \(last)\n")
            await session.cleanup()
            return
        }
        let daemon = context.daemon
        let status = try await images.save(session, requester, as: image, confirmed: true) { await daemon.imagesChanged() }
        if status == .savedRebootNodes {
            _ = try await rebootNodesAfterImageChange(context, [image])
        }
    }

    /// Upstream `run_image_build_from_node_diff`: `FROM <the node's image>` plus what the node
    /// changed since it booted (`NodeDiff`), built as the session's image.
    static func buildFromNodeDiff(_ context: APIContext, _ images: ImageStore, _ session: ImageBuildSession,
                                  nodeName: String) async throws -> Bool {
        let requester = context.requester
        guard let node = try await DeviceSets(daemon: context.daemon, requester: requester).node(named: nodeName) else { return false }
        guard let ip = node.ip, let fullname = node.image, let base = ImageName(fullname: fullname) else {
            try await requester.stderr("Sorry, \(node.name) has no IP address or no image.\n")
            return false
        }
        guard let mounter = context.daemon.bootServices?.images, let id = mounter.mountedID(fullname) else {
            try await requester.stderr("Sorry, the image \(node.name) booted is not mounted on this server.\n")
            return false
        }
        let output: (String, String) async throws -> Void = { stream, text in
            if stream == "stderr" { try await requester.stderr(text) } else { try await requester.stdout(text) }
        }
        let builder = ImageBuilder(images: images, username: session.username, target: session.target, output: output)
        let work = try ImageBuilder.makeWorkDirectory()
        defer { ImageBuilder.removeWorkDirectory(work) }
        let dump = NodeDiffDump(keys: context.daemon.nodeKeys, ip: ip, imageRoot: mounter.path(id))
        let status = try await builder.build(from: .nodeDiff(base: base) { archive in
            do {
                let count = try await dump.run(work: work, archive: archive)
                context.daemon.logger.info("node save: \(count) changed path(s) on \(node.name)")
                return true
            } catch {
                try await output("stderr", "Could not read the changes made on \(node.name): \(error)\n")
                return false
            }
        }, workDirectory: work)
        return status == 0
    }
}
