// One walt-server-daemon for the benchmark: a fresh state directory (/tmp/wb-XXXXXX, short
// enough for the PostgreSQL socket path), a random 127.x address, its own process group.
// `stop()` always runs: SIGTERM, wait, SIGKILL fallback, stop a PostgreSQL left behind,
// remove the directory. A signal to the benchmark (or its watchdog alarm) stops the daemon,
// which makes every pending socket call fail, so the run falls through to `stop()`.
#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The daemon's pid, for the signal handler (0 when none).
nonisolated(unsafe) var benchDaemonPID: pid_t = 0
/// Signals received so far: the first asks the daemon to stop, the next kills it.
nonisolated(unsafe) var benchSignalCount: Int32 = 0

final class BenchDaemon {
    let address: String
    let stateDirectory: String
    private(set) var pid: pid_t = 0
    private var reaped = false

    /// Creates the state directory and starts the daemon; waits (at most 90 s) until its RPC
    /// port answers. On failure everything made so far is removed.
    init(walt: String) throws(BenchFailure) {
        // .2 ... .240: the next few addresses are the benchmark's log senders.
        address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...240))"
        var template = Array("/tmp/wb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchFailure("mkdtemp: errno \(errno)") }
        stateDirectory = String(cString: made)
        // As root the cluster runs as postgres, which must be able to enter the directory.
        chmod(stateDirectory, 0o755)
        do throws(BenchFailure) {
            try spawn(walt: walt)
            let deadline = Clock.now() + 90
            while !rpcPortAnswers() {
                guard exitedEarly() == false else { throw BenchFailure("the daemon exited early:\n\(logTail())") }
                guard Clock.now() < deadline else { throw BenchFailure("the daemon did not listen within 90 s:\n\(logTail())") }
                usleep(100_000)
            }
        } catch {
            stop()
            throw error
        }
    }

    private func spawn(walt: String) throws(BenchFailure) {
        let logPath = stateDirectory + "/daemon.log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: a ^C reaches the benchmark, which stops the daemon in order.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var environment = ["WALT_PERSONALITY=walt-server-daemon"]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !text.hasPrefix("WALT_PERSONALITY=") { environment.append(text) }
            entry += 1
        }
        let argv = Self.cStrings([walt, "--state-dir", stateDirectory, "--bind", address])
        let envp = Self.cStrings(environment)
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, walt, &actions, &attributes, argv, envp)
        guard status == 0 else { throw BenchFailure("cannot start \(walt): \(String(cString: strerror(status)))") }
        pid = child
        benchDaemonPID = child
    }

    /// A NULL-terminated `char *[]`; free each entry.
    private static func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] {
        strings.map { (text: String) -> UnsafeMutablePointer<CChar>? in strdup(text) } + [nil]
    }

    private func rpcPortAnswers() -> Bool {
        (try? BlockingSocket(host: address, port: WaltPorts.rpc, timeoutMilliseconds: 500)) != nil
    }

    private func exitedEarly() -> Bool {
        guard pid > 0, !reaped else { return true }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return reaped
    }

    /// The end of the daemon's output, for error messages.
    func logTail(_ bytes: Int = 3000) -> String {
        guard let file = fopen(stateDirectory + "/daemon.log", "r") else { return "" }
        defer { fclose(file) }
        fseek(file, 0, SEEK_END)
        let size = ftell(file)
        fseek(file, max(0, size - bytes), SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: bytes)
        let n = fread(&buffer, 1, bytes, file)
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// Stops the daemon and removes the state directory; safe to call twice.
    func stop() {
        if pid > 0 && !reaped {
            kill(pid, SIGTERM)
            if !waitForExit(seconds: 30) {
                kill(pid, SIGKILL)
                _ = waitForExit(seconds: 10)
            }
        }
        benchDaemonPID = 0
        stopLeftoverPostgres()
        let argv = Self.cStrings(["rm", "-rf", stateDirectory])
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        if posix_spawnp(&child, "rm", nil, nil, argv, environ) == 0 {
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
    }

    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Clock.now() + seconds
        var status: Int32 = 0
        while Clock.now() < deadline {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) {
                reaped = true
                return true
            }
            usleep(50_000)
        }
        return false
    }

    /// A postmaster that outlived a killed daemon: immediate shutdown (SIGQUIT), then SIGKILL.
    private func stopLeftoverPostgres() {
        guard let file = fopen(stateDirectory + "/postgresql/data/postmaster.pid", "r") else { return }
        var line = [UInt8](repeating: 0, count: 32)
        let read = fread(&line, 1, 31, file)
        fclose(file)
        let digits = line[..<read].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard let postmaster = pid_t(String(decoding: digits, as: UTF8.self)), postmaster > 0,
              kill(postmaster, 0) == 0 else { return }
        kill(postmaster, SIGQUIT)
        let deadline = Clock.now() + 10
        while Clock.now() < deadline && access(stateDirectory + "/postgresql/data/postmaster.pid", F_OK) == 0 {
            usleep(100_000)
        }
        if access(stateDirectory + "/postgresql/data/postmaster.pid", F_OK) == 0 { kill(postmaster, SIGKILL) }
    }

    /// SIGINT/SIGTERM/SIGHUP/SIGALRM stop the daemon (then kill it), so blocked calls fail
    /// and the run cleans up; `alarm(seconds)` is the whole run's watchdog.
    static func installSignalHandlers(watchdogSeconds: UInt32) {
        signal(SIGPIPE, SIG_IGN)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGALRM] {
            signal(signalNumber) { _ in
                benchSignalCount += 1
                if benchDaemonPID > 0 { kill(benchDaemonPID, benchSignalCount > 1 ? SIGKILL : SIGTERM) }
                alarm(15)
            }
        }
        alarm(watchdogSeconds)
    }

    static var interrupted: Bool { benchSignalCount > 0 }
}
