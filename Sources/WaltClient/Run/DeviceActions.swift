import WaltCommon

/// `walt device ping`, `device shell` and `device expose` (upstream's `device.py`): the
/// same streams as their node twins, found through the device's info instead.
struct DeviceActions {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    /// `walt device ping <device>`.
    func ping(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let ip = try link.call("get_device_ip", [.str(NodeActions.text(invocation, "device_name"))])
        return try NodeActions.ping(ip, link: link, context: context)
    }

    /// `walt device shell [--user USER] <device>`: not for nodes; asks the user name when
    /// `--user` is absent (empty: root).
    func shell(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let device = NodeActions.text(invocation, "device_name")
        let info = try link.call("get_device_info", [.str(device)])
        guard info != .none else { return 1 }
        if info["type"]?.stringValue == "node" {
            context.writeOutput("\(device) is a node. Use 'walt node shell \(device)' instead.\n")
            return 1
        }
        var user = invocation.string("user")
        if user == nil {
            guard let answer = terminal.ask("SSH user name: ") else {
                context.writeOutput("\n")
                context.writeError("Aborted.\n")
                return 1
            }
            user = answer
        }
        let request = PromptRequest.deviceShell(ip: info["ip"] ?? .none, user: user?.isEmpty == false ? user! : "root")
        if case .signaled(let signal) = try request.run(link.streamEndpoint) {
            return SessionExit.status(after: signal, context: context)
        }
        return 0
    }

    /// `walt device expose <device> <device_port> <local_port>`: a node among them owned by
    /// someone else needs a confirmation.
    func expose(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let device = NodeActions.text(invocation, "device_name")
        let info = try link.call("get_device_info", [.str(device)])
        guard info != .none else { return 1 }
        let ownership = NodeOwnership(link: link, context: context, terminal: terminal)
        guard try ownership.check(device, ignoreOtherDevices: true) else { return 1 }
        return try NodeActions.expose(name: device, ip: info["ip"] ?? .none, port: NodeActions.number(invocation, "device_port"),
                                      localPort: NodeActions.number(invocation, "local_port"), link: link, context: context)
    }
}
