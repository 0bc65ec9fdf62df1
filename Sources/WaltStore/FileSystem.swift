#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import WaltCommon

/// The few file operations the embedded cluster needs, on POSIX calls (no Foundation in
/// the daemon's store layer).
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// `mkdir -p` with `mode` for the directories it creates.
    static func createDirectories(_ path: String, mode: mode_t = 0o755) throws(StoreError) {
        do {
            try FileTree.createDirectories(path, mode: mode)
        } catch {
            throw StoreError(kind: .cluster, message: error.description)
        }
    }

    static func chown(_ path: String, uid: uid_t, gid: gid_t) throws(StoreError) {
        if Glibc.chown(path, uid, gid) != 0 {
            throw StoreError(kind: .cluster, message: "cannot chown \(path): \(errorText())")
        }
    }

    static func chmod(_ path: String, _ mode: mode_t) throws(StoreError) {
        if Glibc.chmod(path, mode) != 0 {
            throw StoreError(kind: .cluster, message: "cannot chmod \(path): \(errorText())")
        }
    }

    /// The whole file as text, or nil if it cannot be read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) } else if count < 0, errno == EINTR { continue } else { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Replaces the file's content (write to a temporary file, then rename).
    static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(StoreError) {
        do {
            try FileTree.ensureContent(path, text, mode: mode)
        } catch {
            throw StoreError(kind: .cluster, message: error.description)
        }
    }

    /// The last `count` lines of a log file, for error messages.
    static func tail(_ path: String, lines count: Int) -> String {
        guard let text = read(path) else { return "" }
        return text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
