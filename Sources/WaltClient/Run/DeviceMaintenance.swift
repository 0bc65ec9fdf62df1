import WaltCommon

/// `walt device tree|rescan|forget|port-config` (upstream's `device.py`): the topology and
/// the inventory of devices. The server prints most messages itself, through the callbacks.
struct DeviceMaintenance {
    let link: RPCServerLink
    let context: ClientContext

    /// `walt device tree [--all]`: the server draws it (box characters, as our stdout
    /// encoding is UTF-8); we print the string.
    func tree(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let drawing = try link.call("device_tree", [.bool(invocation.flag("all"))])
        context.writeOutput(ServerCommands.pythonStr(drawing) + "\n")
        return 0
    }

    /// `walt device rescan [set=server,explorable-switches]`: the server reports progress.
    func rescan(_ invocation: Invocation) throws(ClientError) -> Int32 {
        _ = try link.call("device_rescan", [.str(NodeActions.text(invocation, "device_set"))])
        return 0
    }

    /// `walt device port-config <switch> [port_id] [name=value...]`: settings given are
    /// set, else the current ones are listed (a missing port id is None: every port).
    func portConfig(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let switchName = PyValue.str(NodeActions.text(invocation, "switch_name"))
        var port = PyValue.none
        if case .int(let number)? = invocation.positional("port_id") { port = .int(PyInt(number)) }
        let items = invocation.extraArguments.map { PyValue.str(NodeActions.text($0)) }
        if items.isEmpty {
            _ = try link.call("get_port_config", [switchName, port])
        } else {
            _ = try link.call("set_port_config", [switchName, port, .tuple(items)])
        }
        return 0
    }

    /// `walt device forget [--force] <device>`: not for virtual nodes (`walt node remove`);
    /// without `--force`, a device with logs (console streams aside) is only described.
    /// Every path exits 0, as upstream's `main()` returns None.
    func forget(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let device = NodeActions.text(invocation, "device_name")
        let info = try link.call("get_device_info", [.str(device)])
        guard info != .none else { return 0 }   // the server said why
        if info["type"]?.stringValue == "node" && info["virtual"]?.isTruthy == true {
            context.writeOutput("\(device) is a virtual node. Use 'walt node remove \(device)' instead.\n")
            return 0
        }
        if !invocation.flag("force") {
            // Upstream sends issuers as a one-item set; both servers only iterate over it,
            // and our codec has no set, so it travels as a tuple.
            let count = try link.call("count_logs", [], kwargs: [
                (.str("history"), .tuple([.none, .none])), (.str("issuers"), .tuple([.str(device)])),
                (.str("exclude_consoles"), .bool(true)),
            ])
            if let number = count.intValue, number > PyInt(0) {
                context.writeOutput("This would delete any information about \(device), including \(number) log lines.\n"
                    + "If this is what you want, run 'walt device forget --force \(device)'.\n")
                return 0
            }
        }
        _ = try link.call("forget", [.str(device)])
        context.writeOutput("done.\n")
        return 0
    }
}
