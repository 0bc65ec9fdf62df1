#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Signals turned into bytes on a pipe, so that a `poll()` loop sees them beside its
/// sockets and never misses one that arrives just before it blocks (the self-pipe trick).
///
/// Handlers are process-wide: one watch at a time; `restore()` puts the previous
/// dispositions back (the default ones, in `walt`).
final class SignalPipe {
    /// Where the handler writes; a plain Int32 so the handler touches nothing else.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    let readEnd: Int32
    private let ownWriteEnd: Int32
    private var previous: [(Int32, sigaction)] = []
    private var restored = false

    /// Starts catching `signals`.
    init(_ signals: [Int32]) {
        var fds: [Int32] = [-1, -1]
        if GNUExtensions.pipeCloseOnExec(&fds) != 0 { fds = [-1, -1] }
        for fd in fds where fd >= 0 { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        readEnd = fds[0]
        ownWriteEnd = fds[1]
        Self.writeEnd = fds[1]
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let saved = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalPipe.writeEnd, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous.append((signal, old))
        }
        // A parent may have started us with some of them blocked (Foundation's Process blocks
        // SIGTERM in its children): a watched signal must get through.
        var watched = sigset_t()
        sigemptyset(&watched)
        for signal in signals { sigaddset(&watched, signal) }
        sigprocmask(SIG_UNBLOCK, &watched, &savedMask)
    }

    private var savedMask = sigset_t()

    /// The signals caught since the last call, in arrival order; never blocks.
    func take() -> [Int32] {
        var caught: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            caught += buffer[..<count].map { Int32($0) }
        }
        return caught
    }

    /// Puts the previous handlers back and closes the pipe.
    func restore() {
        guard !restored else { return }
        restored = true
        for (signal, old) in previous.reversed() {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous = []
        sigprocmask(SIG_SETMASK, &savedMask, nil)
        if Self.writeEnd == ownWriteEnd { Self.writeEnd = -1 }
        if readEnd >= 0 { close(readEnd) }
        if ownWriteEnd >= 0 { close(ownWriteEnd) }
    }

    /// Ends the process the way `signal` would have, once the terminal is put back: the
    /// default action, delivered again.
    static func reraise(_ signal: Int32) -> Never {
        Glibc.signal(signal, SIG_DFL)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signal)
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        raise(signal)
        exit(128 + signal)
    }
}
