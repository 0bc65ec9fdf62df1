#if canImport(Glibc)
import Glibc
#endif

/// Python's `str(OSError)`, which upstream prints when a transfer or a listening socket
/// fails: `[Errno 2] No such file or directory: 'dir/f'`.
enum OSErrorText {
    static func describe(_ code: Int32, path: String? = nil) -> String {
        let text = "[Errno \(code)] " + String(cString: strerror(code))
        return path.map { text + ": " + PythonText.repr($0) } ?? text
    }
}
