#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A program that could not be started (or its output file opened).
public struct SubprocessError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// Runs a program with an argument vector through `posix_spawn`, never through a shell,
/// and collects its combined stdout and stderr for error messages.
public struct Subprocess: Sendable {
    public let executable: String
    public let arguments: [String]
    /// Run there, so that a program running as another user does not start in a
    /// directory it cannot read (initdb warns, postgres refuses).
    public var workingDirectory: String = "/"
    /// Variables set for the program on top of ours (podman's `CONTAINERS_CONF`).
    public var environment: [String: String] = [:]
    /// A file the program reads as its stdin (else /dev/null): a list of paths for a node
    /// to archive, a tar for a container to unpack.
    public var inputFile: String?
    /// A file (created or truncated, mode 0600) that gets the program's stdout, so that
    /// binary output (a tar from a node) stays apart from the messages of `Outcome.output`,
    /// which then holds stderr only.
    public var outputFile: String?

    public init(executable: String, arguments: [String], workingDirectory: String = "/",
                environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    public struct Outcome: Sendable {
        public let exitStatus: Int32
        public let output: String
        public var succeeded: Bool { exitStatus == 0 }
    }

    /// Runs to completion; throws only if the program could not be started.
    public func run() throws(SubprocessError) -> Outcome {
        var fds: [Int32] = [-1, -1]
        guard GNUExtensions.pipeCloseOnExec(&fds) == 0 else {
            throw SubprocessError(message: "pipe failed: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let pid: pid_t
        do {
            pid = try spawn(output: writeEnd)
        } catch {
            close(writeEnd)
            close(readEnd)
            throw error
        }
        close(writeEnd)
        let output = Self.readAll(readEnd)
        close(readEnd)
        return Outcome(exitStatus: Self.wait(for: pid), output: output)
    }

    /// Starts the program with stdout and stderr appended to `logFile` and returns its
    /// pid without waiting: the caller must reap it (`Subprocess.wait(for:)`).
    public func start(logFile: String) throws(SubprocessError) -> pid_t {
        let fd = open(logFile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SubprocessError(message: "cannot open \(logFile): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try spawn(output: fd)
    }

    /// Blocks until `pid` exits; returns its exit code, or 128 + signal number.
    public static func wait(for pid: pid_t) -> Int32 {
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 {
            // ECHILD: someone else reaped it; all we know is that it is gone.
            if errno != EINTR { return -1 }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        let signal = waitStatus & 0x7f
        return signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal
    }

    /// posix_spawn with stdin from `inputFile` (else /dev/null), stdout on `outputFile`
    /// (else `output`) and stderr on `output`.
    private func spawn(output: Int32) throws(SubprocessError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputFile ?? "/dev/null", O_RDONLY, 0)
        if let outputFile {
            posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
        }
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        GNUExtensions.addCloseFrom(&actions)
        GNUExtensions.addChdir(&actions, workingDirectory)

        var attributes = posix_spawnattr_t()
        Self.initAttributes(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var pid: pid_t = 0
        let status = withArgv { argv in
            guard !environment.isEmpty else { return posix_spawn(&pid, executable, &actions, &attributes, argv, environ) }
            return withCStringArray(mergedEnvironment().map { Optional($0) } + [nil]) { envp in
                UnsafeMutableRawPointer(mutating: envp).map { raw in
                    posix_spawn(&pid, executable, &actions, &attributes, argv,
                                raw.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self))
                } ?? EINVAL
            }
        }
        guard status == 0 else {
            throw SubprocessError(message: "cannot run \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Our environment with `environment`'s variables replaced or added.
    private func mergedEnvironment() -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? text
            if environment[name] == nil { entries.append(text) }
            pointer += 1
        }
        return entries + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Spawn attributes with which children start with default signal handling and nothing
    /// blocked, whatever the daemon (or NIO, which ignores SIGPIPE) set up for itself: an
    /// ignored signal would stay ignored across exec. `extraFlags` adds posix_spawn flags.
    public static func initAttributes(_ attributes: inout posix_spawnattr_t, extraFlags: Int16 = 0) {
        posix_spawnattr_init(&attributes)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | extraFlags)
    }

    /// Replaces this process with the program (`execvp`: a bare name is looked up in
    /// PATH). Returns only on failure, with the errno.
    public func exec() -> Int32 {
        withArgv { argv in
            execvp(executable, argv)
            return errno
        }
    }

    /// Calls `body` with `char *const argv[]` (the executable, then the arguments, then
    /// NULL), as posix_spawn and execvp take it; the strings are our own copies.
    private func withArgv(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32) -> Int32 {
        withCStringArray(([executable] + arguments).map { Optional($0) } + [nil]) { argvPointer in
            UnsafeMutableRawPointer(mutating: argvPointer).map { raw in
                body(raw.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self))
            } ?? EINVAL
        }
    }

    /// The first of `paths` that is an executable file.
    public static func firstExecutable(among paths: [String]) -> String? {
        paths.first { path in access(path, X_OK) == 0 }
    }

    private static func readAll(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
