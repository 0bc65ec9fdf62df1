#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt image shell <image>` (upstream's `WalTImageShell`): the server opens a session
/// (a container on the image) scoped to this RPC link, the user works in it through a
/// `REQ_DOCKER_PROMPT` stream, then says under which name to save it.
///
/// The save loop asks again while the server finds the name unusable (`NAME_NOT_OK`, it
/// said why) or the user declines to overwrite (`NAME_NEEDS_CONFIRM`). Ctrl-C or end of
/// input there prints `Aborted.`; the session ends with the link and the server drops the
/// container. Always exits 0, as upstream, unless Ctrl-C cut the shell itself short.
struct ImageShell {
    /// Printed before each "New image name: " (upstream's typo "overwite" kept).
    static func banner(defaultName: String) -> String {
        """
        ------
        You can save changes as a new image, or overwrite this one.
        Just press <enter> to reuse the name "\(defaultName)" and overwite the image.
        You can also press ctrl-C to abort.
        ------

        """
    }

    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let image = NodeActions.text(invocation, "image_name")
        let session = try link.call("create_image_shell_session", [.str(image), "shell session"])
        guard let items = session.sequenceItems, items.count == 4 else { return 0 }   // the server said why
        let request = PromptRequest.imageShell(imageFullname: items[1], containerName: items[2])
        if case .signaled(let signal) = try request.run(link.streamEndpoint) {
            return SessionExit.status(after: signal, context: context)
        }
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        let terminal = Terminal(write: terminal.write) { Self.readLine(unlessInterrupted: signals) }
        if try !save(sessionID: items[0], defaultName: ServerCommands.pythonStr(items[3]), terminal: terminal, signals: signals) {
            context.writeOutput("Aborted.\n")
        }
        return 0
    }

    /// The save loop; false when the user gave up (Ctrl-C, end of input).
    private func save(sessionID: PyValue, defaultName: String, terminal: Terminal,
                      signals: SignalPipe) throws(ClientError) -> Bool {
        while true {
            context.writeOutput(Self.banner(defaultName: defaultName))
            guard var name = terminal.ask("New image name: "), signals.take().isEmpty else { return false }
            if name.isEmpty {
                name = defaultName
                context.writeOutput("Selected: \(name)\n")
            }
            // A Ctrl-C during the call leaves the save done; it aborts at the next prompt.
            let answer = try saveCall(sessionID, name, confirmed: false)
            if answer.stringValue == "NAME_NOT_OK" { continue }
            if answer.stringValue == "NAME_NEEDS_CONFIRM" {
                guard let yes = terminal.yesOrNo("Are you sure?", koMessage: nil), signals.take().isEmpty else { return false }
                guard yes else { continue }
                _ = try saveCall(sessionID, name, confirmed: true)
            }
            return true
        }
    }

    /// One line of stdin, read a byte at a time beside the signal pipe: nil at end of
    /// input or once Ctrl-C came (Python's `input()` raising EOFError/KeyboardInterrupt).
    static func readLine(unlessInterrupted signals: SignalPipe) -> String? {
        var line: [UInt8] = []
        while true {
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 && errno != EINTR { return nil }
            if fds[1].revents != 0 {
                return nil   // the caller takes the signal from the pipe
            }
            guard fds[0].revents != 0 else { continue }
            var byte: UInt8 = 0
            let count = Glibc.read(0, &byte, 1)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard count == 1 else { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    private func saveCall(_ sessionID: PyValue, _ name: String, confirmed: Bool) throws(ClientError) -> PyValue {
        try link.call("image_shell_session_save", [.str(link.username), sessionID, .str(name)],
                      kwargs: [(.str("name_confirmed"), .bool(confirmed))])
    }
}
