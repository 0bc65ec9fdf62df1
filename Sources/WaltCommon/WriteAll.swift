#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes a whole buffer to a descriptor, retrying on short writes and EINTR: the loop that
/// stdout, sockets and the config file all need.
public enum WriteAll {
    /// Returns 0 when everything was written, else the errno that stopped it.
    ///
    /// - Parameter socket: use `send(MSG_NOSIGNAL)`, so a peer that went away is an error
    ///   rather than a SIGPIPE that kills the process.
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, socket: Bool = false) -> Int32 {
        guard var base = buffer.baseAddress else { return 0 }
        var left = buffer.count
        while left > 0 {
            let n = socket ? send(fd, base, left, Int32(MSG_NOSIGNAL)) : Glibc.write(fd, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            base += n
            left -= n
        }
        return 0
    }
}
