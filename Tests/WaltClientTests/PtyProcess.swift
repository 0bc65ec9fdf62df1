import Foundation
import WaltCommon

/// The built `walt` on a new pseudo-terminal that is its controlling terminal (its own
/// session), as in a terminal emulator: the test types on the controller side, reads what
/// the program shows, resizes the window (the kernel then sends SIGWINCH) and reads the
/// terminal's settings from the terminal side, which the test keeps open.
final class PtyProcess {
    let controller: Int32
    let terminal: Int32
    let pid: pid_t
    private(set) var shown: [UInt8] = []

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(_ arguments: [String], environment: [String: String], rows: UInt16 = 24, columns: UInt16 = 80) throws {
        var controller: Int32 = -1, terminal: Int32 = -1
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&controller, &terminal, nil, nil, &size) == 0 else { throw Failure(description: "openpty failed") }
        _ = fcntl(controller, F_SETFD, FD_CLOEXEC)
        _ = fcntl(terminal, F_SETFD, FD_CLOEXEC)
        self.controller = controller
        self.terminal = terminal
        var initial = termios()
        tcgetattr(terminal, &initial)
        initialSettings = initial
        let path = String(cString: ttyname(terminal))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid() and without O_NOCTTY: it becomes the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, path, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        let setsid: Int16 = 0x80   // POSIX_SPAWN_SETSID (glibc), hidden from Swift
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK) | setsid)
        let argv = [WaltProcess.path] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let status = withCStringArray(argv.map { Optional($0) } + [nil]) { argvPointer in
            withCStringArray(envp.map { Optional($0) } + [nil]) { envPointer in
                posix_spawn(&child, WaltProcess.path, &actions, &attributes,
                            UnsafeMutableRawPointer(mutating: argvPointer!).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self),
                            UnsafeMutableRawPointer(mutating: envPointer!).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self))
            }
        }
        guard status == 0 else { throw Failure(description: "posix_spawn: \(String(cString: strerror(status)))") }
        pid = child
    }

    deinit {
        close(controller)
        close(terminal)
    }

    var shownText: String { String(decoding: shown, as: UTF8.self) }

    /// Reads what the program shows until `text` appears (true) or `seconds` pass.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 10) -> Bool {
        waitUntil(seconds: seconds) { self.shownText.contains(text) }
    }

    /// Reads output while waiting for `condition`.
    func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { return false }
            drain(milliseconds: 50)
        }
        return true
    }

    /// Reads what is there within `milliseconds`.
    func drain(milliseconds: Int32) {
        var poller = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) > 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = read(controller, &chunk, chunk.count)
        if count > 0 { shown += chunk[..<count] }
    }

    func type(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { WriteAll.write(controller, $0) }
    }

    /// Resizes the window; the kernel signals the terminal's foreground process group.
    func resize(rows: UInt16, columns: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)
    }

    /// The terminal's settings before the program started: what it must leave behind (read
    /// after the start, they may already be the program's raw mode).
    let initialSettings: termios

    /// The terminal's current settings.
    var settings: termios {
        var current = termios()
        tcgetattr(terminal, &current)
        return current
    }

    /// Waits for the program to end (reading its output meanwhile): its raw wait status.
    /// What it wrote last may still sit in the pty when it is gone: that is read too.
    func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                var count = -1
                while shown.count != count {
                    count = shown.count
                    drain(milliseconds: 100)
                }
                return status
            }
            drain(milliseconds: 20)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        return nil
    }

    static func sameSettings(_ a: termios, _ b: termios) -> Bool {
        var (a, b) = (a, b)
        return a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag && a.c_cflag == b.c_cflag && a.c_lflag == b.c_lflag
            && withUnsafeBytes(of: &a.c_cc) { x in withUnsafeBytes(of: &b.c_cc) { y in x.elementsEqual(y) } }
    }
}
