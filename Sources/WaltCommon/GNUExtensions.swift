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

    private static let pipe2: Pipe2? = lookup("pipe2")
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

    /// Makes the child start in `directory`, when the C library can.
    public static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ directory: String) {
        _ = addchdir?(&actions, directory)
    }
}
