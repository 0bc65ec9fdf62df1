#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// A program run for a client's session on port 12347 (node shell, ping, tar transfer),
/// started as upstream's `ParallelProcessSocketListener` does: under a new pseudo-terminal
/// when the client has a tty (`tty_mode`), otherwise on plain pipes so that bytes pass
/// through untouched and the client's end of input reaches the program as EOF.
struct SessionProcess {
    enum Streams {
        /// The controller side of the program's terminal: input and output both.
        case terminal(controller: Int32)
        /// The program's stdin (we write) and its stdout+stderr (we read).
        case pipes(input: Int32, output: Int32)
    }

    let pid: pid_t
    let streams: Streams

    /// POSIX_SPAWN_SETSID (glibc): the program leads a new session, so the terminal it
    /// opens first becomes its controlling terminal and Ctrl-C reaches it.
    private static let setsidFlag: Int16 = 0x80

    /// Starts `argv` (argv[0] looked up in PATH); `terminal` gives the initial window size
    /// in pty mode, `term` the TERM variable, `environment` variables set on top of ours
    /// (podman's `CONTAINERS_CONF`).
    static func start(_ argv: [String], terminal: winsize?, term: String?,
                      environment extra: [String: String] = [:]) throws(SubprocessError) -> SessionProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { childEnds.forEach { close($0) } }
        let streams: Streams
        if var size = terminal {
            guard let (controller, path) = GNUExtensions.openPseudoTerminal() else {
                throw SubprocessError(message: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
            }
            _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
            parentEnds = [controller]
            // Opened after setsid (glibc applies the flags first): it becomes the
            // controlling terminal of the new session.
            posix_spawn_file_actions_addopen(&actions, 0, path, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
            streams = .terminal(controller: controller)
        } else {
            var input: [Int32] = [-1, -1]
            var output: [Int32] = [-1, -1]
            guard GNUExtensions.pipeCloseOnExec(&input) == 0 else {
                throw SubprocessError(message: "pipe failed: \(String(cString: strerror(errno)))")
            }
            guard GNUExtensions.pipeCloseOnExec(&output) == 0 else {
                input.forEach { close($0) }
                throw SubprocessError(message: "pipe failed: \(String(cString: strerror(errno)))")
            }
            parentEnds = [input[1], output[0]]
            childEnds = [input[0], output[1]]
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
            posix_spawn_file_actions_adddup2(&actions, output[1], 2)
            streams = .pipes(input: input[1], output: output[0])
        }
        // The program gets its three streams and nothing else of the daemon's.
        GNUExtensions.addCloseFrom(&actions)
        var attributes = posix_spawnattr_t()
        Subprocess.initAttributes(&attributes, extraFlags: terminal == nil ? 0 : setsidFlag)
        defer { posix_spawnattr_destroy(&attributes) }

        var environment = Self.environment(term: term, extra: extra)
        var pid: pid_t = 0
        let status = withCStringArray(argv.map { Optional($0) } + [nil]) { argvPointer in
            withCStringArray(environment.map { Optional($0) } + [nil]) { envPointer in
                guard let argvPointer, let envPointer else { return EINVAL }
                return posix_spawnp(&pid, argv[0], &actions, &attributes,
                                    UnsafeRawPointer(argvPointer).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self),
                                    UnsafeRawPointer(envPointer).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self))
            }
        }
        environment.removeAll()
        guard status == 0 else {
            parentEnds.forEach { close($0) }
            throw SubprocessError(message: "cannot run \(argv[0]): \(String(cString: strerror(status)))")
        }
        return SessionProcess(pid: pid, streams: streams)
    }

    /// The daemon's environment with TERM replaced (and dropped in pipe mode, where no
    /// terminal exists).
    private static func environment(term: String?, extra: [String: String]) -> [String] {
        var entries: [String] = []
        var index = 0
        let replaced = ["TERM"] + extra.keys
        while let entry = environ[index] {
            let text = String(cString: entry)
            if !replaced.contains(where: { text.hasPrefix($0 + "=") }) { entries.append(text) }
            index += 1
        }
        if let term { entries.append("TERM=" + term) }
        entries += extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return entries
    }

    /// Applies a client's window resize to the terminal (pty mode only).
    func resize(lines: Int, columns: Int) {
        guard case .terminal(let controller) = streams else { return }
        var size = winsize(ws_row: UInt16(clamping: lines), ws_col: UInt16(clamping: columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
    }

    func signal(_ number: Int32) {
        _ = kill(pid, number)
    }
}
