import WaltCommon

/// The node commands that change which image nodes boot (upstream's `WalTNode.boot_nodes`
/// and `WalTNodeAcquire`): `boot`, its alias `deploy`, `release`, `acquire`.
///
/// The set is developed into node names before `set_image`, because `my-nodes` and
/// `free-nodes` mean something else once the images changed. The reboot's `cause` is the
/// word the server puts in its messages ("image change", "release", "acquire").
struct NodeBoot {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    private var ownership: NodeOwnership { NodeOwnership(link: link, context: context, terminal: terminal) }

    /// `walt node boot|deploy <set> <image-or-default>`: always exits 0, as upstream's
    /// `boot_nodes` returns nothing (the server printed why it stopped).
    func boot(_ invocation: Invocation) throws(ClientError) -> Int32 {
        try boot(NodeActions.text(invocation, "node_set"), image: NodeActions.text(invocation, "image_name_or_default"),
                 cause: "image change", mode: .ownedOrFree)
        return 0
    }

    /// `walt node release <set>`: boot the default image, on the user's own nodes only.
    func release(_ invocation: Invocation) throws(ClientError) -> Int32 {
        try boot(NodeActions.text(invocation, "node_set"), image: "default", cause: "release", mode: .owned)
        return 0
    }

    private func boot(_ nodeSet: String, image: String, cause: String, mode: NodeOwnership.Mode) throws(ClientError) {
        guard try link.call("has_image", [.str(image), true]).isTruthy else { return }
        guard let nodes = try link.call("develop_node_set", [.str(nodeSet)]).stringValue else { return }
        guard try ownership.check(nodes, mode: mode) else { return }
        guard try link.call("set_image", [.str(nodes), .str(image)]).isTruthy else { return }
        try reboot(.str(nodes), cause: cause)
    }

    /// `walt node acquire <set>`: free nodes (or, once confirmed, other users' ones) get a
    /// clone of their model's default image in the user's working set, then reboot.
    /// Exits 1 when it stops early, as upstream returns False.
    func acquire(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let nodeSet = NodeActions.text(invocation, "node_set")
        guard try ownership.check(nodeSet, mode: .freeOrNotOwned) else { return 1 }
        let clones = try link.call("get_clones_of_default_images", [.str(nodeSet)]).sequenceItems ?? []
        guard clones.count == 3, clones[0].isTruthy else { return 1 }   // the server said why
        let developed = try link.call("develop_node_set", [.str(nodeSet)])
        for (image, nodes) in Self.nodesPerImage(clones[2]) {
            guard try link.call("set_image", [.str(nodes.joined(separator: ",")), image]).isTruthy else { return 1 }
        }
        try reboot(developed, cause: "acquire")
        return 0
    }

    /// `image_per_node` turned around: each image with its nodes, in first-seen order
    /// (Python's `defaultdict(list)` filled from the dict's items).
    static func nodesPerImage(_ imagePerNode: PyValue) -> [(image: PyValue, nodes: [String])] {
        var groups: [(image: PyValue, nodes: [String])] = []
        for pair in imagePerNode.dictPairs ?? [] {
            let node = ServerCommands.pythonStr(pair.key)
            if let index = groups.firstIndex(where: { $0.image == pair.value }) {
                groups[index].nodes.append(node)
            } else {
                groups.append((pair.value, [node]))
            }
        }
        return groups
    }

    /// Upstream sets the label on its link before the call; it stays for the call.
    private func reboot(_ nodes: PyValue, cause: String) throws(ClientError) {
        link.callbacks.busy.setLabel("Rebooting")
        _ = try link.call("reboot_nodes", [nodes], kwargs: [(.str("cause"), .str(cause))])
    }
}
