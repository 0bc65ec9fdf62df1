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
        text.withUTF8 { _ = WriteAll.write(rawValue, UnsafeRawBufferPointer($0)) }
    }
}
