import WaltCommon

/// The `walt image` commands made of RPC calls only (upstream's `image.py`): `show`,
/// `search`, `clone`, `duplicate`, `remove`, `rename`, `publish`, `squash`. The server
/// prints tables and refusals; the client adds the few lines upstream's client prints.
///
/// Exit statuses follow upstream's `main()` results: the server's boolean for
/// `clone`, `duplicate`, `remove`, `rename`, `publish`; 0 otherwise.
struct ImageActions {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    /// `walt image show [--all] [--names-only] [--refresh]`.
    func show(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let all = invocation.flag("all"), namesOnly = invocation.flag("names-only")
        if all && namesOnly {
            context.writeOutput("Sorry, but options --names-only and --all are mutually exclusive.\n")
            return 1
        }
        let table = try link.call("show_images", kwargs: [
            ("username", .str(link.username)), ("show_all", .bool(all)), ("names_only", .bool(namesOnly)),
            ("refresh", .bool(invocation.flag("refresh"))),
        ])
        context.writeOutput(ServerCommands.pythonStr(table) + "\n")
        return 0
    }

    /// `walt image search [keyword]`: the server prints what it found.
    func search(_ invocation: Invocation) throws(ClientError) -> Int32 {
        link.callbacks.busy.setLabel("Searching")
        let keyword = invocation.positional("keyword").map { PyValue.str(NodeActions.text($0)) } ?? .none
        _ = try link.call("search_images", [keyword])
        return 0
    }

    /// `walt image clone [--force] <link> [image_name]`.
    func clone(_ invocation: Invocation) throws(ClientError) -> Int32 {
        link.callbacks.busy.setLabel("Validating / Cloning")
        let name = invocation.positional("image_name").map { PyValue.str(NodeActions.text($0)) } ?? .none
        let result = try link.call("clone_image", [.str(NodeActions.text(invocation, "clonable_image_link"))],
                                   kwargs: [("force", .bool(invocation.flag("force"))), ("image_name", name)])
        guard result["status"]?.stringValue == "OK" else { return 1 }
        let cloned = result["image_name"].map(ServerCommands.pythonStr) ?? "None"
        context.writeOutput("Image \"\(cloned)\" was cloned successfully (cf. walt image show).\n")
        return 0
    }

    /// `walt image remove|rename|duplicate ...`: the server's answer is the status.
    func simple(_ method: String, _ invocation: Invocation, names: [String]) throws(ClientError) -> Int32 {
        let result = try link.call(method, names.map { .str(NodeActions.text(invocation, $0)) })
        return Self.status(result)
    }

    /// `sys.exit(result)` as `wrap.py` sees it: False → 1, anything else here → 0.
    static func status(_ result: PyValue) -> Int32 {
        result == false ? 1 : 0
    }

    /// `walt image squash <image>`: the server asks for a confirmation first.
    func squash(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let image = PyValue.str(NodeActions.text(invocation, "image_name"))
        let status = try link.call("squash_image", [image, false])
        if status.stringValue == "NEEDS_CONFIRM" && terminal.confirm() {
            _ = try link.call("squash_image", [image, true])
        }
        return 0
    }

    /// `walt image publish [--registry LABEL] <image>`: the registry is checked against
    /// `get_registries()` here, as upstream's client does, before the server pushes.
    func publish(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let registries = (try link.call("get_registries").sequenceItems ?? []).map { entry in
            (entry.sequenceItems ?? []).map(Self.cell)
        }
        if registries.isEmpty {
            context.writeOutput("Sorry, no image registry is configured on this platform.\n")
            return 1
        }
        let table = PlainColumnate.table(registries, header: ["Registry", "Description"])
        var registry = invocation.string("registry") ?? "auto"
        if registry == "auto" {
            if registries.count > 1 {
                context.writeOutput("Several image registries are configured on this platform:\n\n\(table)\n\n"
                    + "Please specify the target registry by using option '--registry'.\n")
                return 1
            }
            registry = registries[0].first ?? ""
        } else if !registries.contains(where: { $0.first == registry }) {
            context.writeOutput("Invalid registry '\(registry)'.\nThe following registries are available:\n\n\(table)\n")
            return 1
        }
        link.callbacks.busy.setLabel("Validating / Publishing")
        let result = try link.call("publish_image", [.str(registry), .str(NodeActions.text(invocation, "image_name"))])
        let items = result.sequenceItems ?? []
        if items.first == false { return 1 }
        context.writeOutput("OK, image was published at:\n\(items.count > 1 ? ServerCommands.pythonStr(items[1]) : "None")\n")
        return 0
    }

    /// `columnate`'s `as_string`: None is an empty cell.
    private static func cell(_ value: PyValue) -> String {
        value.isNone ? "" : ServerCommands.pythonStr(value)
    }
}
