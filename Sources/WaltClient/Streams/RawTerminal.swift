#if canImport(Glibc)
import Glibc
#endif

/// The user's terminal during an interactive session (upstream's `TTYSettings`, on the
/// stdout descriptor as there): its size, raw mode without echo (the remote pty echoes and
/// interprets every key, Ctrl-C included), and the settings it had before, put back.
final class RawTerminal {
    let fd: Int32
    private var saved: termios
    private var isRaw = false

    /// Nil when `fd` is not a terminal.
    init?(fd: Int32 = 1) {
        var current = termios()
        guard tcgetattr(fd, &current) == 0 else { return nil }
        self.fd = fd
        saved = current
    }

    /// `struct winsize` as the kernel reports it; nil if it cannot.
    var windowSize: winsize? {
        var size = winsize()
        return ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 ? size : nil
    }

    /// cfmakeraw (no echo, no signals from keys, no output processing), applied once the
    /// pending output is written.
    func makeRaw() {
        var raw = saved
        cfmakeraw(&raw)
        raw.c_lflag &= ~tcflag_t(ECHO)
        if tcsetattr(fd, TCSADRAIN, &raw) == 0 { isRaw = true }
    }

    /// The settings from before `makeRaw`.
    func restore() {
        guard isRaw else { return }
        tcsetattr(fd, TCSADRAIN, &saved)
        isRaw = false
    }
}
