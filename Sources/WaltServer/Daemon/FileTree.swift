#if canImport(Glibc)
import Glibc
#endif

/// The little file-system work the daemon does itself (no Foundation on this path).
enum FileTree {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `mkdir -p`, mode 0755.
    static func makeDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create directory \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}
