import WaltCommon

/// The commands that only need RPC calls, written after upstream's `main()` methods: same
/// calls in the same order, same client-side messages, `False` → exit 1, `None` → 0.
struct ServerCommands {
    let link: RPCServerLink
    let context: ClientContext
    var terminal = Terminal()

    init(link: RPCServerLink, context: ClientContext) {
        self.link = link
        self.context = context
        terminal = Terminal(write: { [context] in context.writeOutput($0) })
    }

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        switch (invocation.category, invocation.command.name) {
        case (.node, "show"):
            let args: [PyValue] = [.str(link.username), .bool(invocation.flag("all")), .bool(invocation.flag("names-only"))]
            printResult(try link.call("show_nodes", args))
        case (.node, "boot"), (.node, "deploy"): return try nodeBoot.boot(invocation)
        case (.node, "release"): return try nodeBoot.release(invocation)
        case (.node, "acquire"): return try nodeBoot.acquire(invocation)
        case (.node, "save"): return try imageBuild.save(invocation)
        case (.node, "config"): try config(invocation, set: "node_set", develop: "develop_node_set")
        case (.node, "create"): _ = try link.call("create_vnode", [.str(text(invocation, "node_name"))])
        case (.node, "remove"):
            let node = text(invocation, "node_name")
            if try ownership.check(node) { _ = try link.call("remove_vnode", [.str(node)]) }
        case (.node, "rename"):
            let old = text(invocation, "old_node_name")
            if try ownership.check(old) { _ = try link.call("rename", [.str(old), .str(text(invocation, "new_node_name"))]) }
        case (.node, "run"): return try nodeActions.run(invocation)
        case (.node, "shell"): return try nodeActions.shell(invocation)
        case (.node, "cp"): return try NodeCopy(link: link, context: context, terminal: terminal).run(invocation)
        case (.node, "ping"): return try nodeActions.ping(invocation)
        case (.node, "blink"): return try nodeActions.blink(invocation)
        case (.node, "reboot"): return try nodeActions.reboot(invocation)
        case (.node, "wait"): return try nodeActions.wait(invocation)
        case (.node, "expose"): return try nodeActions.expose(invocation)
        case (.node, "console"): return try NodeConsole(link: link, context: context, terminal: terminal).run(invocation)
        case (.image, "show"): return try imageActions.show(invocation)
        case (.image, "search"): return try imageActions.search(invocation)
        case (.image, "clone"): return try imageActions.clone(invocation)
        case (.image, "remove"): return try imageActions.simple("remove_image", invocation, names: ["image_name"])
        case (.image, "rename"):
            return try imageActions.simple("rename_image", invocation, names: ["image_name", "new_image_name"])
        case (.image, "duplicate"):
            return try imageActions.simple("duplicate_image", invocation, names: ["image_name", "new_image_name"])
        case (.image, "publish"): return try imageActions.publish(invocation)
        case (.image, "squash"): return try imageActions.squash(invocation)
        case (.image, "shell"): return try ImageShell(link: link, context: context, terminal: terminal).run(invocation)
        case (.image, "cp"): return try ImageCopy(link: link, context: context, terminal: terminal).run(invocation)
        case (.image, "build"): return try imageBuild.build(invocation)
        case (.device, "ping"): return try deviceActions.ping(invocation)
        case (.device, "shell"): return try deviceActions.shell(invocation)
        case (.device, "expose"): return try deviceActions.expose(invocation)
        case (.device, "show"): printResult(try link.call("device_show"))
        case (.device, "config"):
            try config(invocation, set: "device_set", develop: "develop_device_set", ignoreOtherDevices: true)
        case (.device, "rename"):
            _ = try link.call("rename", [.str(text(invocation, "old_name")), .str(text(invocation, "new_name"))])
        case (.device, "tree"): return try deviceMaintenance.tree(invocation)
        case (.device, "rescan"): return try deviceMaintenance.rescan(invocation)
        case (.device, "forget"): return try deviceMaintenance.forget(invocation)
        case (.device, "port-config"): return try deviceMaintenance.portConfig(invocation)
        case (.log, "show"): return try LogShow(link: link, context: context, terminal: terminal).run(invocation)
        case (.log, "wait"): return try LogShow(link: link, context: context, terminal: terminal).wait(invocation)
        case (.log, "add-checkpoint"): return try Checkpoints(link: link, context: context).add(invocation)
        case (.log, "remove-checkpoint"): _ = try link.call("remove_checkpoint", [.str(text(invocation, "checkpoint_name"))])
        case (.log, "list-checkpoints"): _ = try link.call("list_checkpoints")
        case (.advanced, "sql"): return try advancedActions.sql()
        case (.advanced, "fix-image-owner"): return try advancedActions.fixImageOwner(invocation)
        case (.advanced, "update-hub-meta"), (.advanced, "rescan-hub-account"):
            return try advancedActions.updateHubMeta(invocation)
        case (.advanced, "update-default-images"): return try advancedActions.updateDefaultImages()
        default:
            throw ClientError("\(invocation.path) is not implemented by this client yet")
        }
        return 0
    }

    private var nodeActions: NodeActions {
        NodeActions(link: link, context: context, terminal: terminal)
    }

    private var nodeBoot: NodeBoot {
        NodeBoot(link: link, context: context, terminal: terminal)
    }

    private var imageActions: ImageActions {
        ImageActions(link: link, context: context, terminal: terminal)
    }

    private var imageBuild: ImageBuild {
        ImageBuild(link: link, context: context, terminal: terminal)
    }

    private var deviceActions: DeviceActions {
        DeviceActions(link: link, context: context, terminal: terminal)
    }

    private var deviceMaintenance: DeviceMaintenance {
        DeviceMaintenance(link: link, context: context)
    }

    private var advancedActions: AdvancedActions {
        AdvancedActions(link: link, context: context)
    }

    private var ownership: NodeOwnership {
        NodeOwnership(link: link, context: context, terminal: terminal)
    }

    /// `walt node config <set> [name=value...]` and `walt device config ...`: develop the set,
    /// then show the settings, or change them once the ownership check agrees (for devices,
    /// only the nodes among them are checked, as upstream's `confirm_devices_not_owned`).
    private func config(_ invocation: Invocation, set: String, develop: String,
                        ignoreOtherDevices: Bool = false) throws(ClientError) {
        let developed = try link.call(develop, [.str(text(invocation, set))])
        guard let developedSet = developed.stringValue else { return }
        let items = invocation.extraArguments.map { value -> PyValue in
            if case .string(let text) = value { return .str(text) }
            if case .int(let number) = value { return .str(String(number)) }
            return .none
        }
        if items.isEmpty {
            _ = try link.call("get_device_config", [.str(developedSet)])
        } else if try ownership.check(developedSet, ignoreOtherDevices: ignoreOtherDevices) {
            _ = try link.call("set_device_config", [.str(developedSet), .tuple(items)])
        }
    }

    /// Python's `print(value)`.
    private func printResult(_ value: PyValue) {
        context.writeOutput(Self.pythonStr(value) + "\n")
    }

    /// Python's `str(value)`: the text of a str, the repr of anything else.
    static func pythonStr(_ value: PyValue) -> String {
        if let text = value.stringValue { return text }
        return (try? PythonRepr.repr(value)) ?? value.description
    }

    private func text(_ invocation: Invocation, _ name: String) -> String {
        switch invocation.positional(name) {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        default: return ""
        }
    }
}
