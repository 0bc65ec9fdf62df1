#if canImport(Glibc)
import Glibc
#endif

/// Why a tar transfer stopped, worded as upstream prints it: Python's `str(OSError)` for
/// file-system errors (`[Errno 13] Permission denied: 'f'`), tarfile's messages for a
/// damaged stream.
struct TarError: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// An `OSError` with `errno` about `path`.
    static func system(_ code: Int32, _ path: String? = nil) -> TarError {
        TarError(OSErrorText.describe(code, path: path))
    }
}
