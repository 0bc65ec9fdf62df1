#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The node commands that reach nodes (upstream's `node.py`): `run`, `shell`, `ping`,
/// `blink`, `reboot`, `wait`, `expose`. Same RPC calls in the same order, same messages and
/// exit statuses; streams go to port 12347 of the server, which talks to the node.
struct NodeActions {
    static let shellMessage = """
        Caution: changes outside /persist will be lost on next node reboot.
        Run 'walt help show shells' for more info.

        """

    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    private var ownership: NodeOwnership { NodeOwnership(link: link, context: context, terminal: terminal) }
    private var waiter: NodeWait { NodeWait(link: link, context: context) }

    /// `walt node run [--term] <set> cmd...`: one node after the other.
    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let arguments = invocation.extraArguments.map(Self.text)
        return try runCommand(Self.text(invocation, "node_set"), severalAllowed: true, arguments: arguments,
                              sshTTY: invocation.flag("term"))
    }

    /// `walt node shell <node>`.
    func shell(_ invocation: Invocation) throws(ClientError) -> Int32 {
        try runCommand(Self.text(invocation, "node_name"), severalAllowed: false, arguments: [],
                       startupMessage: Self.shellMessage, sshTTY: true)
    }

    /// Upstream's `WalTNode.run_cmd`: ownership, `get_nodes_ip`, the implicit wait, then a
    /// `REQ_NODE_CMD` stream per node. The remote status is not reported (nor upstream's).
    private func runCommand(_ nodeSet: String, severalAllowed: Bool, arguments: [String], startupMessage: String? = nil,
                            sshTTY: Bool) throws(ClientError) -> Int32 {
        guard try ownership.check(nodeSet) else { return 0 }
        let ips = (try link.call("get_nodes_ip", [.str(nodeSet)]).sequenceItems ?? []).compactMap(\.stringValue)
        if ips.isEmpty { return 0 }   // the server said why
        if ips.count > 1 && !severalAllowed {
            context.writeError("Error: this command must target 1 node only.\n")
            return 0
        }
        guard try waiter.wait(nodeSet) else { return 1 }
        for ip in ips {
            if let startupMessage { context.writeOutput(startupMessage + "\n") }
            let request = PromptRequest.nodeCommand(ip: ip, arguments: arguments, sshTTY: sshTTY)
            if case .signaled(let signal) = try request.run(link.streamEndpoint) {
                return SessionExit.status(after: signal, context: context)
            }
        }
        return 0
    }

    /// `walt node ping <node>`: the server pings; its output streams here.
    func ping(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let ip = try link.call("get_node_ip", [.str(Self.text(invocation, "node_name"))])
        return try Self.ping(ip, link: link, context: context)
    }

    /// The ping stream of `node ping` and `device ping`, when the server gave an address.
    static func ping(_ ip: PyValue, link: RPCServerLink, context: ClientContext) throws(ClientError) -> Int32 {
        guard ip.isTruthy else { return 0 }
        if case .signaled(let signal) = try PromptRequest.devicePing(ip: ip).run(link.streamEndpoint) {
            return SessionExit.status(after: signal, context: context)
        }
        return 0
    }

    /// `walt node blink <node> [duration]`: on, wait, off (also after Ctrl-C, "Aborted.").
    func blink(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let node = Self.text(invocation, "node_name")
        guard let seconds = PythonText.int(Self.text(invocation, "duration")) else {
            context.writeError("<duration> must be an integer (number of seconds).\n")
            return 0
        }
        guard try waiter.wait(node) else { return 1 }
        guard try link.call("blink", [.str(node), .bool(true)]).isTruthy else { return 0 }
        context.writeOutput("blinking for \(seconds)s... \n")
        let interrupted = Self.sleep(seconds: seconds)
        context.writeOutput(interrupted ? "Aborted.\n" : "done.\n")
        _ = try link.call("blink", [.str(node), .bool(false)])
        return interrupted ? 1 : 0
    }

    /// Sleeps unless Ctrl-C comes first; true when it did.
    private static func sleep(seconds: Int) -> Bool {
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        let deadline = TransferProgress.now() + Double(max(seconds, 0))
        while true {
            let left = deadline - TransferProgress.now()
            if left <= 0 { return false }
            var poller = pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if !signals.take().isEmpty { return true }
        }
    }

    /// `walt node reboot [--hard] <set>`.
    func reboot(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let nodeSet = Self.text(invocation, "node_set")
        guard try ownership.check(nodeSet) else { return 0 }
        _ = try link.call("reboot_nodes", [.str(nodeSet)], kwargs: [(.str("hard_only"), .bool(invocation.flag("hard")))])
        return 0
    }

    /// `walt node wait [--timeout SECONDS] <set>`.
    func wait(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let done = try waiter.wait(Self.text(invocation, "node_set"), label: "Node bootup notification pending",
                                   timeout: invocation.int("timeout") ?? -1)
        return done ? 0 : 1
    }

    /// `walt node expose <node> <node_port> <local_port>` (no ownership check, as upstream).
    func expose(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let node = Self.text(invocation, "node_name")
        let ip = try link.call("get_node_ip", [.str(node)])
        guard ip.isTruthy else { return 1 }
        guard try waiter.wait(node) else { return 1 }
        return try Self.expose(name: node, ip: ip, port: Self.number(invocation, "node_port"),
                               localPort: Self.number(invocation, "local_port"), link: link, context: context)
    }

    /// "Listening on ...", then forward connections until Ctrl-C (`node` and `device expose`).
    static func expose(name: String, ip: PyValue, port: Int, localPort: Int, link: RPCServerLink,
                       context: ClientContext) throws(ClientError) -> Int32 {
        context.writeOutput("Listening on TCP port \(localPort) and redirecting connections to \(name):\(port).\n")
        let exposer = TCPExposer(endpoint: link.streamEndpoint, nodeIP: ip, nodePort: port, localPort: localPort,
                                 writeOutput: context.writeOutput, writeError: context.writeError)
        let signals = SignalPipe([SIGINT, SIGTERM, SIGHUP])
        let outcome: TCPExposer.Outcome
        do {
            defer { signals.restore() }
            outcome = try exposer.run(signals: signals)
        }
        switch outcome {
        case .couldNotListen: return 1
        case .signaled(let signal): return SessionExit.status(after: signal, context: context)
        }
    }

    static func text(_ invocation: Invocation, _ name: String) -> String {
        invocation.positional(name).map(text) ?? ""
    }

    static func text(_ value: ArgumentValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .flag: return ""
        }
    }

    static func number(_ invocation: Invocation, _ name: String) -> Int {
        if case .int(let number)? = invocation.positional(name) { return number }
        return PythonText.int(text(invocation, name)) ?? 0
    }
}

extension PyValue {
    /// Python's truth value, for results tested with `if result:`.
    var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let value): return value
        case .int(let value): return value != PyInt(0)
        case .float(let value): return value != 0
        case .str(let text): return !text.isEmpty
        case .bytes(let bytes): return !bytes.isEmpty
        case .tuple(let items), .list(let items): return !items.isEmpty
        case .dict(let pairs): return !pairs.isEmpty
        default: return true
        }
    }
}
