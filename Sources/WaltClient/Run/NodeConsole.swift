#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt node console <node>` (upstream's `WalTNode.run_console` and `console.py`): the
/// serial console of a virtual node. Its output comes as log records of the node's
/// `virtualconsole` stream (realtime `REQ_DUMP_LOGS`); keys go back one RPC call
/// (`vnode_console_input`) per read, on the link that stays open meanwhile.
///
/// On a terminal the user confirms first, the screen is cleared and the terminal goes raw
/// (Ctrl-C is then a key for the node); leaving resets the terminal and says so. Without
/// a terminal, stdin and the console are relayed as they are. Exits 0 (upstream's `main()`
/// returns None) unless a signal cut it short.
struct NodeConsole {
    static let welcome = "\nThis will connect to the virtual node console. You can use <ctrl-a> <d> to quit.\n"
        + "See 'walt help show node-console' for more info.\n\nType <enter> to validate, or <ctrl-c> to abort: "
    static let clearScreen = "\u{1B}[2J\u{1B}[H"
    /// Printed (with print's newline) once the terminal is back: a full reset, then the news.
    static let farewell = "\u{1B}c\nDisconnected from console.\n"

    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        link.callbacks.busy.silence()
        let node = NodeActions.text(invocation, "node_name")
        guard try NodeOwnership(link: link, context: context, terminal: terminal).check(node) else { return 0 }
        let infos = try link.call("get_nodes_info", [.str(node)]).sequenceItems ?? []
        if infos.isEmpty { return 0 }   // the server said why
        if infos.count > 1 {
            context.writeError("Error: this command must target 1 node only.\n")
            return 0
        }
        let info = infos[0]
        if info["virtual"] == false {
            context.writeError("Error: console is only available on virtual nodes.\n")
            return 0
        }
        let connection = try StreamConnection(link.streamEndpoint, request: .dumpLogs)
        connection.sendPickle(.dict([
            (.str("history"), .none), (.str("realtime"), true), (.str("issuers"), .tuple([info["name"] ?? .str(node)])),
            (.str("streams_regexp"), "^virtualconsole$"), (.str("logline_regexp"), .none),
        ]))
        let mac = info["mac"] ?? .none
        let relay = ConsoleRelay(connection: connection, input: 0, output: 1) { keys throws(ClientError) in
            _ = try link.call("vnode_console_input", [mac, .bytes(keys)])
        }
        guard Terminal.isInteractive, let raw = RawTerminal(fd: 1) else { return try finish(relay) }
        guard confirmed() else {
            return SessionExit.status(after: SIGINT, context: context)
        }
        context.writeOutput("OK, connecting.\n" + Self.clearScreen)
        raw.makeRaw()
        return try finish(relay, restoring: raw)
    }

    /// The welcome text, then Enter; false on Ctrl-C or end of input (upstream's
    /// KeyboardInterrupt and EOFError alike end the command with `Aborted.`).
    private func confirmed() -> Bool {
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        context.writeOutput(Self.welcome)
        return ImageShell.readLine(unlessInterrupted: signals) != nil && signals.take().isEmpty
    }

    /// Runs the relay; the terminal is put back (and, in raw mode, reset with the farewell,
    /// upstream's `finally`) before anything else is reported. A link that broke while
    /// sending keys ends the console as upstream's `socket.error` does.
    private func finish(_ relay: ConsoleRelay, restoring raw: RawTerminal? = nil) throws(ClientError) -> Int32 {
        let signals = SignalPipe([SIGINT, SIGTERM, SIGHUP])
        let outcome = relay.run(signals: signals)
        raw?.restore()
        signals.restore()
        if raw != nil { context.writeOutput(Self.farewell) }
        switch outcome {
        case .ended: return 0
        case .signaled(let signal):
            return SessionExit.status(after: signal, context: context)
        case .failed(let error):
            if error.isNetworkFailure { return 0 }
            throw error
        }
    }
}
