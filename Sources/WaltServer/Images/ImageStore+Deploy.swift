import WaltCommon

/// `set_image` (upstream `NodeImageManager.set_image`): which image nodes boot.
extension ImageStore {
    /// Points `nodes` at the requester's image `imageName` (or each at its model's default
    /// image for `default`), after checking the image lists every node's model; `apply`
    /// then brings mounts, exports, dhcpd, DNS and the TFTP tree in line. Rebooting is
    /// left to the client, as upstream.
    func setImage(_ requester: any Requester, nodes: [DeviceInfo], imageName: String,
                  apply: () async -> Void) async throws -> Bool {
        let isDefault = imageName == "default"
        var ignored: [String] = []
        var changes: [(mac: String, image: ImageName)] = []
        if isDefault {
            for node in nodes {
                let image = ImageName.defaultImage(model: node.model ?? "unknown")
                if node.image == image.fullname { ignored.append(node.name) } else { changes.append((node.mac, image)) }
            }
        } else {
            let found = try await exclusive { try await userImage(requester, imageName) }
            guard let image = found else { return false }
            let compatible = Set(registry.metadata(image)?.nodeModels ?? [])
            let incompatible = Set(nodes.map { $0.model ?? "unknown" }).subtracting(compatible)
            if !incompatible.isEmpty {
                try await requester.stderr(SentenceFormat.format(
                    "Sorry, this image is not compatible with %s.\n", items: Array(incompatible), none: "None",
                    singular: "node model", plural: "node models"))
                return false
            }
            for node in nodes {
                if node.image == image.fullname { ignored.append(node.name) } else { changes.append((node.mac, image)) }
            }
        }
        let changed = nodes.map(\.name).filter { !ignored.contains($0) }
        if !changed.isEmpty {
            let updates = changes
            try await store.transaction { db in
                for change in updates {
                    try db.query("INSERT INTO images (fullname) VALUES (\(change.image.fullname)) ON CONFLICT DO NOTHING")
                    try db.query("UPDATE nodes SET image = \(change.image.fullname) WHERE mac = \(change.mac)")
                }
            }
            await apply()
            let sentence = isDefault
                ? "%s will now boot its(their) default image (other users will see it(they) is(are) 'free')."
                : "%s will now boot " + imageName + "."
            try await requester.stdout(Self.aboutNodes(sentence, changed) + "\n")
        }
        if !ignored.isEmpty {
            try await requester.stdout(Self.aboutNodes("%s: ignored, it(they) is(are) already using this image.", ignored) + "\n")
        }
        return true
    }

    /// Upstream `format_sentence_about_nodes`.
    static func aboutNodes(_ sentence: String, _ names: [String]) -> String {
        SentenceFormat.format(sentence, items: names, none: "No nodes", singular: "Node", plural: "Nodes")
    }
}
