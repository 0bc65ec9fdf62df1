import WaltCommon

/// CSAPI methods on image sessions (upstream api/cs.py → images/shell.py, build.py,
/// squash.py, transfer.py): `walt image shell`, `cp`, `build` and `squash`. Sessions are
/// objects of the RPC connection (`ConnectionSessions`), cleaned up when it closes.
extension ClientAPI {
    static let imageSessionMethods: [String: APIMethod] = [
        "create_image_shell_session": APIMethod(["image_name", "task_label"]) { context, args in
            guard let images = try await imageStore(context),
                  let session = try await images.openShellSession(context.requester, try args.string("image_name"),
                                                                  taskLabel: try args.string("task_label")) else { return .none }
            let id = context.sessions.register(session)
            return .tuple([.int(PyInt(id)), .str(session.image.fullname), .str(session.containerName), .str(session.image.name)])
        },
        "image_shell_session_save": APIMethod(["username", "session_id", "new_name", "name_confirmed"]) { context, args in
            let newName = try args.string("new_name")
            if let problem = ImageName.validationError(newName) {
                try await context.requester.stderr(problem)
                return "NAME_NOT_OK"
            }
            guard let images = try await imageStore(context),
                  let session = context.sessions.object(args["session_id"].intValue?.intValue, as: ImageShellSession.self) else {
                try await context.requester.stderr("No such image session.\n")
                return .none
            }
            let target = ImageName(user: try args.string("username"), name: newName)
            let daemon = context.daemon
            guard let status = try await images.save(session, context.requester, as: target, confirmed: args.bool("name_confirmed"),
                                                      apply: { await daemon.imagesChanged() }) else { return .none }
            if status == .savedRebootNodes {
                _ = try await rebootNodesAfterImageChange(context, [target])
                return .str(ImageStore.SaveStatus.saved.rawValue)
            }
            return .str(status.rawValue)
        },
        "validate_image_cp": APIMethod(["src", "dst"]) { context, args in
            guard let images = try await imageStore(context) else { return NodeCopyCheck.failed }
            return try await ImageCopyCheck(images: images, daemon: context.daemon, requester: context.requester)
                .validate(src: try args.string("src"), dst: try args.string("dst"))
        },
        "squash_image": APIMethod(["image_name", "confirmed"]) { context, args in
            guard let images = try await imageStore(context) else { return "FAILED" }
            let daemon = context.daemon
            let name = try args.string("image_name")
            let status = try await images.squash(context.requester, name, confirmed: args.bool("confirmed")) {
                await daemon.imagesChanged()
            }
            if status == .okRebootNodes, let username = try await context.requester.username() {
                _ = try await rebootNodesAfterImageChange(context, [ImageName(user: username, name: name)])
                return "OK"
            }
            return .str(status.rawValue)
        },
        "create_image_build_session": APIMethod(["mode", "image_name", "url", "subdir", "src_dir", "node_name"],
                                                defaults: ["url": .none, "subdir": .none, "src_dir": .none, "node_name": .none]) { context, args in
            guard let images = try await imageStore(context),
                  let username = try await context.requester.username(), !username.isEmpty else { return .none }
            let imageName = try args.string("image_name")
            if let problem = ImageName.validationError(imageName) {
                try await context.requester.stderr(problem)
                return .none
            }
            let target = ImageName(user: username, name: imageName)
            let overwrite = try await images.exclusive { try await images.userImage(context.requester, imageName, expected: nil) } != nil
            if overwrite {
                try await context.requester.stderr(try await images.overwriteWarning(target))
            }
            let info = ["mode", "url", "subdir", "src_dir", "node_name"].compactMap { key -> (key: String, value: PyValue)? in
                let value = args[key]
                guard value != .none else { return nil }
                return (key, value)
            }
            let session = ImageBuildSession(target: target, username: username, overwrite: overwrite, info: info)
            let id = context.sessions.register(session)
            return .dict(session.parameters + [("session_id", .int(PyInt(id)))])
        },
        "run_image_build_from_url": APIMethod(["session_id"]) { context, args in
            guard let images = try await imageStore(context),
                  let session = context.sessions.object(args["session_id"].intValue?.intValue, as: ImageBuildSession.self),
                  let url = session.value("url") else { return false }
            let requester = context.requester
            let builder = ImageBuilder(images: images, username: session.username, target: session.target) { stream, text in
                if stream == "stderr" { try await requester.stderr(text) } else { try await requester.stdout(text) }
            }
            let work = try ImageBuilder.makeWorkDirectory()
            defer { ImageBuilder.removeWorkDirectory(work) }
            let status = try await builder.build(from: .url(url, subdirectory: session.value("subdir") ?? ""), workDirectory: work)
            return .bool(status == 0)
        },
        "finalize_image_build_session": APIMethod(["session_id"]) { context, args in
            guard let images = try await imageStore(context),
                  let session = context.sessions.object(args["session_id"].intValue?.intValue, as: ImageBuildSession.self) else {
                return .none
            }
            try await images.exclusive {
                try await images.registry.refresh(session.target)
                try await images.register(session.target)
                try await images.resyncDatabase()
            }
            await context.daemon.imagesChanged()
            if session.overwrite {
                return .str(try await rebootNodesAfterImageChange(context, [session.target]))
            }
            return "OK"
        },
    ]

    /// Upstream `reboot_nodes_after_image_change`: the nodes booting `changed` reboot
    /// (cause "image change"); "OK" when none do, else the reboot's status.
    static func rebootNodesAfterImageChange(_ context: APIContext, _ changed: [ImageName]) async throws -> String {
        var macs: [String] = []
        for image in changed {
            macs += try await context.daemon.store.query("SELECT mac FROM nodes WHERE image = \(image.fullname)", idempotent: true)
                .rows.compactMap { $0["mac"] }
        }
        let nodes = try await DeviceQueries(daemon: context.daemon).info(macs: macs)
        guard !nodes.isEmpty else { return "OK" }
        let what = changed.count > 1 ? "these images" : "this image"
        try await context.requester.stdout(SentenceFormat.format(
            "Trying to reboot %s using \(what)...\n", items: nodes.map(\.name), none: "None",
            singular: "node", plural: "nodes"))
        return try await NodeReboot(daemon: context.daemon, requester: context.requester)
            .run(nodes, hardOnly: false, cause: "image change")
    }
}
