#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// glibc functions that Swift's Glibc module hides (they need `_GNU_SOURCE`), looked up
/// with `dlsym` in the C library that is already loaded, with portable fallbacks.
public enum GNUExtensions {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?
    ) -> Int32

    private typealias OpenPT = @convention(c) (Int32) -> Int32
    private typealias UnlockPT = @convention(c) (Int32) -> Int32
    private typealias PTSName = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    private static let pipe2: Pipe2? = lookup("pipe2")
    private static let addclosefrom: AddCloseFrom? = lookup("posix_spawn_file_actions_addclosefrom_np")
    private static let openpt: OpenPT? = lookup("posix_openpt")
    private static let unlockpt: UnlockPT? = lookup("unlockpt")
    private static let ptsname: PTSName? = lookup("ptsname_r")
    private static let addchdir: AddChdir? = lookup("posix_spawn_file_actions_addchdir_np")

    private static func lookup<F>(_ name: String) -> F? {
        // RTLD_DEFAULT is the null handle: search the global scope (libc is there).
        dlsym(nil, name).map { unsafeBitCast($0, to: F.self) }
    }

    /// A pipe whose ends are close-on-exec, so other children never inherit them.
    public static func pipeCloseOnExec(_ fds: inout [Int32]) -> Int32 {
        if let pipe2 { return pipe2(&fds, O_CLOEXEC) }
        guard pipe(&fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// Makes the child close every descriptor from `lowest` up (glibc 2.34+). Not every
    /// library opens its descriptors close-on-exec (NIO's accepted sockets do not): without
    /// this, a service restarted by the daemon would hold client connections open.
    public static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32 = 3) {
        _ = addclosefrom?(&actions, lowest)
    }

    /// Makes the child start in `directory`, when the C library can.
    public static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ directory: String) {
        _ = addchdir?(&actions, directory)
    }

    /// A new pseudo-terminal: its controller side (close-on-exec, not our controlling tty)
    /// and the path of its terminal side, or nil with errno set.
    public static func openPseudoTerminal() -> (controller: Int32, terminalPath: String)? {
        guard let openpt, let unlockpt, let ptsname else {
            errno = ENOSYS
            return nil
        }
        let fd = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var name = [CChar](repeating: 0, count: 128)
        guard unlockpt(fd) == 0, ptsname(fd, &name, name.count) == 0 else {
            let saved = errno
            close(fd)
            errno = saved
            return nil
        }
        return (fd, String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
