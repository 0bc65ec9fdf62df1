#if canImport(Glibc)
import Glibc
#endif

/// The file-tree operations the server's generated files need (directories, atomic
/// replacement, symlinks, recursive removal), on POSIX calls: no Foundation in the daemon.
public enum FileTree {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// `mkdir -p`.
    public static func createDirectories(_ path: String, mode: mode_t = 0o755) throws(Failure) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0, errno != EEXIST { throw failure("cannot create", current) }
        }
    }

    /// Writes `text` unless the file already holds exactly that; true if it wrote. The
    /// new content goes to a temporary file renamed over the old one, so a reader (dhcpd,
    /// named, exportfs) never sees half a file.
    @discardableResult
    public static func ensureContent(_ path: String, _ text: String, mode: mode_t = 0o644) throws(Failure) -> Bool {
        if let current = try? TextFile.read(path, limit: 64 << 20), current == text { return false }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try createDirectories(String(path[..<slash]))
        }
        let temporary = path + ".tmp"
        do {
            try TextFile.write(temporary, text, mode: mode)
        } catch {
            throw Failure(description: error.description)
        }
        guard rename(temporary, path) == 0 else { throw failure("cannot replace", path) }
        return true
    }

    public enum Kind: Sendable, Equatable {
        case missing, symlink, directory, other
    }

    /// What is at `path`, without following a symlink.
    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFLNK: return .symlink
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public static func symlink(_ target: String, at path: String) throws(Failure) {
        guard Glibc.symlink(target, path) == 0 else { throw failure("cannot create the symlink", path) }
    }

    public static func unlink(_ path: String) throws(Failure) {
        guard Glibc.unlink(path) == 0 || errno == ENOENT else { throw failure("cannot remove", path) }
    }

    /// `rm -rf`, never following symlinks (a node's `fs` link must not take its image with it).
    public static func removeTree(_ path: String) throws(Failure) {
        switch kind(path) {
        case .missing: return
        case .directory:
            for name in try entries(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure("cannot remove", path) }
        case .symlink, .other:
            try unlink(path)
        }
    }

    /// Names in a directory, without `.` and `..`.
    public static func entries(_ path: String) throws(Failure) -> [String] {
        guard let directory = opendir(path) else { throw failure("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func failure(_ what: String, _ path: String) -> Failure {
        Failure(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
