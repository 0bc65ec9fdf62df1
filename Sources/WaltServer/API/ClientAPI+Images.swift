import WaltCommon

/// CSAPI methods on images (server.md §3.1, §5; upstream api/cs.py → images/*): the
/// working set table, deploying an image to nodes, and editing the image store.
extension ClientAPI {
    /// The image store, or nil after telling the client there is none.
    static func imageStore(_ context: APIContext) async throws -> ImageStore? {
        if let images = context.daemon.images { return images }
        try await context.requester.stderr("Sorry, images are not available: this daemon runs without a server.conf (development mode).\n")
        return nil
    }

    static let imageMethods: [String: APIMethod] = [
        "show_images": APIMethod(["username", "show_all", "names_only", "refresh"],
                                 defaults: ["names_only": false, "refresh": false]) { context, args in
            guard let images = try await imageStore(context) else { return .none }
            return .str(try await images.show(context.requester, username: try args.string("username"),
                                              showAll: args.bool("show_all"), namesOnly: args.bool("names_only"),
                                              refresh: args.bool("refresh")))
        },
        "get_images_tabular_data": APIMethod(["username", "refresh", "fields"], defaults: ["fields": .none]) { context, args in
            guard let images = try await imageStore(context) else { return .list([]) }
            var fields = ImageTable.apiFields
            if case .tuple(let items) = args["fields"] { fields = items.compactMap(\.stringValue) }
            if case .list(let items) = args["fields"] { fields = items.compactMap(\.stringValue) }
            if let unknown = fields.first(where: { !ImageTable.fields.contains($0) }) {
                throw CallArguments.Mismatch(message: "get_images_tabular_data(): unknown field \(PythonRepr.repr(unknown))")
            }
            return .list(try await images.tabularData(context.requester, username: try args.string("username"),
                                                      refresh: args.bool("refresh"), fields: fields))
        },
        "has_image": APIMethod(["image_name", "default_allowed"]) { context, args in
            let name = try args.string("image_name")
            if args.bool("default_allowed") && name == "default" { return true }
            guard let images = try await imageStore(context) else { return false }
            return .bool(try await images.exclusive { try await images.userImage(context.requester, name) } != nil)
        },
        "set_image": APIMethod(["node_set", "image_name"]) { context, args in
            guard let images = try await imageStore(context) else { return false }
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return false }
            let daemon = context.daemon
            return .bool(try await images.setImage(context.requester, nodes: nodes, imageName: try args.string("image_name")) {
                await daemon.imagesChanged()
            })
        },
        "get_clones_of_default_images": APIMethod(["node_set"]) { context, args in
            let failed: PyValue = .tuple([false, false, .dict([])])
            guard let images = try await imageStore(context),
                  let username = try await context.requester.username(), !username.isEmpty else { return failed }
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("node_set"), allowEmpty: true) else { return failed }
            for device in devices where device.type != "node" {
                try await context.requester.stderr("\(device.name) is not a node, it is a \(device.type).\n")
                return failed
            }
            let nodes = devices.map { (name: $0.name, model: $0.model ?? "unknown") }
            let (valid, updated, perNode) = try await images.exclusive {
                try await images.clonesOfDefaultImages(context.requester, username: username, nodes: nodes)
            }
            return .tuple([.bool(valid), .bool(updated), .dict(perNode.map { (key: .str($0.0), value: .str($0.1)) })])
        },
        "rename_image": APIMethod(["image_name", "new_name"]) { context, args in
            guard let images = try await imageStore(context) else { return false }
            return .bool(try await images.rename(context.requester, try args.string("image_name"), to: try args.string("new_name")))
        },
        "duplicate_image": APIMethod(["image_name", "new_name"]) { context, args in
            guard let images = try await imageStore(context) else { return false }
            return .bool(try await images.duplicate(context.requester, try args.string("image_name"), to: try args.string("new_name")))
        },
        "remove_image": APIMethod(["image_name"]) { context, args in
            guard let images = try await imageStore(context) else { return false }
            return .bool(try await images.remove(context.requester, try args.string("image_name")))
        },
        "fix_image_owner": APIMethod(["other_user"]) { context, args in
            guard let images = try await imageStore(context) else { return .none }
            try await images.fixOwner(context.requester, otherUser: try args.string("other_user"))
            return .none
        },
        "get_registries": APIMethod { context, _ in
            .tuple(context.daemon.config.registries.map { .tuple([.str($0.label), .str($0.description)]) })
        },
    ]

    static let imageCloneMethods: [String: APIMethod] = [
        "clone_image": APIMethod(["clonable_link", "force", "image_name"],
                                 defaults: ["force": false, "image_name": .none]) { context, args in
            let failed: PyValue = .dict([(key: "status", value: "FAILED")])
            guard let images = try await imageStore(context) else { return failed }
            let daemon = context.daemon
            let outcome = try await images.clone(context.requester, link: try args.string("clonable_link"),
                                                 force: args.bool("force"), imageName: try args.optionalString("image_name")) {
                await daemon.imagesChanged()
            }
            switch outcome {
            case .failed:
                return failed
            case .ok(let name):
                return .dict([(key: "status", value: "OK"), (key: "image_name", value: .str(name))])
            case .okRebootNodes(let name, let image):
                if try await rebootNodesAfterImageChange(context, [image]) == "FAILED" { return failed }
                return .dict([(key: "status", value: "OK"), (key: "image_name", value: .str(name))])
            }
        },
        "search_images": APIMethod(["keyword", "tty_mode"], defaults: ["tty_mode": .none]) { context, args in
            guard let images = try await imageStore(context),
                  let username = try await context.requester.username(), !username.isEmpty else { return false }
            let keyword = try args.optionalString("keyword") ?? ""
            var ttyMode = args.bool("tty_mode")
            if args["tty_mode"] == .none { ttyMode = try await context.requester.call("stdout.isatty", []).boolValue ?? false }
            // Only this server's images: it reaches no registry.
            var rows: [[String?]] = []
            for image in images.registry.waltImages where image.user != username {
                let link = "walt:\(image.user)/\(image.name)"
                guard keyword.isEmpty || link.contains(keyword),
                      let models = images.registry.metadata(image)?.nodeModels else { continue }
                rows.append([image.user, image.name, "walt (other user)", NodeModelsGlob.format(models), link])
                if ttyMode { _ = try await context.requester.call("stdout.write", [.str("\(rows.count) matches\r")]) }
            }
            if rows.isEmpty {
                try await context.requester.stderr("Sorry, no image could match your request.\n")
            } else {
                try await context.requester.stdout(Columnate.plain(
                    header: ["User", "Image name", "Location", "Compatibility", "Clonable link"], rows: rows) + "\n")
            }
            return true
        },
    ]
}
