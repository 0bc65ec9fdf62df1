import WaltCommon

/// Upstream's `WalTNode.check_nodes_ownership`: `filter_ownership(set)` on the server, then
/// errors or a confirmation depending on the mode.
struct NodeOwnership {
    enum Mode {
        case ownedOrFree
        case freeOrNotOwned
        case owned
    }

    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    /// True when the command may go on.
    func check(_ nodeSet: String, mode: Mode = .ownedOrFree, ignoreOtherDevices: Bool = false) throws(ClientError) -> Bool {
        let groups = (try link.call("filter_ownership", [.str(nodeSet)]).sequenceItems ?? []).map { group in
            (group.sequenceItems ?? []).compactMap(\.stringValue)
        }
        guard groups.count == 4 else { return false }
        let (owned, free, notOwned, notNodes) = (groups[0], groups[1], groups[2], groups[3])
        if owned.isEmpty && free.isEmpty && notOwned.isEmpty && notNodes.isEmpty { return false }
        if !ignoreOtherDevices && !notNodes.isEmpty {
            let sentence = SentenceFormat.format(
                "Error: %s is(are) not a() WalT node(nodes).", items: notNodes, none: "", singular: "Device", plural: "Devices")
            context.writeError(sentence.replacingAll(" ", collapsingDoubles: true) + " Aborting.\n")
            return false
        }
        let help = " See `walt help show node-ownership`."
        if mode == .freeOrNotOwned && !owned.isEmpty {
            context.writeError(SentenceFormat.format(
                "Error: %s is(are) already yours." + help, items: owned, none: "", singular: "Node", plural: "Nodes") + "\n")
            return false
        }
        if mode == .owned && !(free.isEmpty && notOwned.isEmpty) {
            context.writeError(SentenceFormat.format(
                "Error: %s is(are) not yours." + help, items: free + notOwned, none: "", singular: "Node", plural: "Nodes") + "\n")
            return false
        }
        if mode != .owned && !notOwned.isEmpty {
            context.writeError(SentenceFormat.format(
                "Warning: %s seems(seem) to be used by another(other) user(users).", items: notOwned, none: "",
                singular: "Node", plural: "Nodes") + "\n")
            return terminal.confirm()
        }
        return true
    }
}

extension String {
    /// Python's `.replace('  ', ' ')` (one pass, non-overlapping).
    func replacingAll(_ space: Character, collapsingDoubles: Bool) -> String {
        var out = ""
        var chars = Substring(self)
        while let char = chars.first {
            chars = chars.dropFirst()
            out.append(char)
            if char == space, chars.first == space { chars = chars.dropFirst() }
        }
        return out
    }
}
