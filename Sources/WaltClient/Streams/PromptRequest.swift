#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// An interactive request on port 12347 (upstream's `PromptClient.__init__`): the SQL
/// prompt (2), image shells (3), node commands and shells (4), pings (5), device shells (15). The server answers `READY`,
/// reads one pickled dict, then runs the program under a pty (`tty_mode`) or with raw pipes.
struct PromptRequest: Equatable {
    let request: StreamRequest
    /// The request's own keys, in upstream's order.
    let parameters: [(key: String, value: PyValue)]

    static func == (lhs: PromptRequest, rhs: PromptRequest) -> Bool {
        lhs.request == rhs.request && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }

    /// `walt advanced sql`: psql on the server's database; no parameters of its own.
    static var sqlPrompt: PromptRequest { PromptRequest(request: .sqlPrompt, parameters: []) }

    /// `walt image shell`: a shell in the container the server started for the session.
    static func imageShell(imageFullname: PyValue, containerName: PyValue) -> PromptRequest {
        PromptRequest(request: .dockerPrompt, parameters: [("image_fullname", imageFullname), ("container_name", containerName)])
    }

    /// `walt node shell` (no arguments, `ssh_tty`) and `walt node run` (`ssh_tty` = `--term`).
    /// Upstream's `capture_output` is a PromptClient argument, not a parameter: never sent.
    static func nodeCommand(ip: String, arguments: [String], sshTTY: Bool) -> PromptRequest {
        PromptRequest(request: .nodeCommand, parameters: [
            ("node_ip", .str(ip)), ("cmdargs", .tuple(arguments.map(PyValue.str))), ("ssh_tty", .bool(sshTTY)),
        ])
    }

    /// `walt node ping` and `walt device ping`: the server runs `ping -c 10 -w 11 <ip>`.
    static func devicePing(ip: PyValue) -> PromptRequest {
        PromptRequest(request: .devicePing, parameters: [("device_ip", ip)])
    }

    /// `walt device shell`: ssh to `user@ip` from the server.
    static func deviceShell(ip: PyValue, user: String) -> PromptRequest {
        PromptRequest(request: .deviceShell, parameters: [("device_ip", ip), ("user", .str(user))])
    }

    /// The dict sent after READY: the request's keys, then, on a terminal, `win_size` (the
    /// raw `struct winsize` as `array('h')`) and `env` (only when TERM is set), then `tty_mode`.
    func parameterDict(terminal window: winsize?, term: String?) -> PyValue {
        var pairs = parameters.map { (key: PyValue.str($0.key), value: $0.value) }
        if let window {
            let fields = [window.ws_row, window.ws_col, window.ws_xpixel, window.ws_ypixel]
            pairs.append((.str("win_size"), .array(PyArray(fields.map { Int16(truncatingIfNeeded: $0) }))))
            if let term { pairs.append((.str("env"), .strDict(["TERM": .str(term)]))) }
        }
        pairs.append((.str("tty_mode"), .bool(window != nil)))
        return .dict(pairs)
    }

    /// Connects, sends the id, waits for `READY` (whatever the line says, as upstream) and
    /// sends the parameters. `terminal` set means tty mode.
    func open(_ endpoint: StreamConnection.Endpoint, terminal: RawTerminal?) throws(ClientError) -> StreamConnection {
        let window = terminal.map { $0.windowSize ?? winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0) }
        let term = getenv("TERM").map { String(cString: $0) }
        let connection = try StreamConnection(endpoint, request: request)
        _ = connection.readLine()
        connection.sendPickle(parameterDict(terminal: window, term: term))
        return connection
    }

    /// Opens the request and relays it until the server ends it. A terminal on both stdin
    /// and stdout means tty mode, as upstream decides.
    func run(_ endpoint: StreamConnection.Endpoint) throws(ClientError) -> PromptSession.Outcome {
        let terminal = Terminal.isInteractive ? RawTerminal(fd: 1) : nil
        let connection = try open(endpoint, terminal: terminal)
        return PromptSession(connection: connection, input: 0, output: 1, terminal: terminal).run()
    }
}
