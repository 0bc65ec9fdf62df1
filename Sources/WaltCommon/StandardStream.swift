#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unbuffered writes to fd 1 or 2, without Foundation.
///
/// The client's output must be byte-exact and must survive short writes to pipes; `print`
/// buffers and would interleave badly with writes the server asks for through callbacks.
public enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    /// Writes all of `text`, retrying on short writes and EINTR. Errors (a closed pipe) are
    /// ignored: there is nobody left to tell.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            guard var base = buffer.baseAddress else { return }
            var left = buffer.count
            while left > 0 {
                let n = Glibc.write(rawValue, base, left)
                if n < 0 {
                    if errno == EINTR { continue }
                    return
                }
                base += n
                left -= n
            }
        }
    }
}
