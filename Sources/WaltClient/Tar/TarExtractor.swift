#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Unpacks `TarReader` events under a directory, as upstream's `extractall(dst_dir)`:
/// existing files are replaced, directories merged, modes and times set (directories
/// last, so read-only ones can still be filled), owners only when running as root.
///
/// Members stay inside the directory: names with `..` are refused, and so is any path
/// whose parent on disk is not a real directory (a symlink from the archive, or one
/// already there, cannot redirect a later member elsewhere).
struct TarExtractor {
    let directory: String
    private var file: Int32 = -1
    private var current: TarReader.Entry?
    private var currentPath = ""
    private var directories: [(path: String, entry: TarReader.Entry)] = []
    private let isRoot = geteuid() == 0

    init(directory: String) {
        self.directory = directory
    }

    mutating func handle(_ event: TarReader.Event) throws(TarError) {
        switch event {
        case .entry(let entry):
            try start(entry)
        case .data(let bytes):
            guard file >= 0 else { return }
            let failed = bytes.withUnsafeBytes { WriteAll.write(file, $0) }
            if failed != 0 { throw .system(failed, currentPath) }
        case .endOfEntry:
            try finishEntry()
        case .endOfArchive:
            try finishArchive()
        }
    }

    /// Closes what is open and applies directory attributes (also after a failure).
    mutating func finishArchive() throws(TarError) {
        if file >= 0 { close(file); file = -1 }
        for (path, entry) in directories.reversed() {
            applyAttributes(entry, at: path)
        }
        directories = []
    }

    private mutating func start(_ entry: TarReader.Entry) throws(TarError) {
        let path = try target(for: entry.path)
        current = entry
        currentPath = path
        switch entry.kind {
        case .directory:
            if mkdir(path, 0o700) != 0 {
                guard errno == EEXIST, Self.isDirectory(path, following: false) else { throw .system(errno, path) }
            }
            directories.append((path, entry))
        case .file, .other:
            try removeExisting(path)
            file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard file >= 0 else { throw .system(errno, path) }
        case .symbolicLink:
            try removeExisting(path)
            guard symlink(entry.linkName, path) == 0 else { throw .system(errno, path) }
        case .hardLink:
            let source = try target(for: entry.linkName)
            try removeExisting(path)
            guard link(source, path) == 0 else { throw .system(errno, path) }
        case .fifo:
            try removeExisting(path)
            guard mkfifo(path, mode_t(entry.mode & 0o777)) == 0 else { throw .system(errno, path) }
        case .characterDevice, .blockDevice:
            try removeExisting(path)
            let type = entry.kind == .characterDevice ? S_IFCHR : S_IFBLK
            let major = UInt64(entry.deviceMajor), minor = UInt64(entry.deviceMinor)
            let device = (major & 0xfff) << 8 | (major & ~0xfff) << 32 | (minor & 0xff) | (minor & ~0xff) << 12
            guard mknod(path, type | mode_t(entry.mode & 0o777), dev_t(device)) == 0 else { throw .system(errno, path) }
        case .paxExtended, .paxGlobal, .gnuLongName, .gnuLongLink:
            break   // consumed by the reader
        }
    }

    private mutating func finishEntry() throws(TarError) {
        if file >= 0 {
            let closed = close(file)
            file = -1
            if closed != 0 { throw .system(errno, currentPath) }
        }
        if let entry = current, entry.kind != .directory { applyAttributes(entry, at: currentPath) }
        current = nil
    }

    /// Owner (root only), mode and modification time; symlinks keep theirs.
    private func applyAttributes(_ entry: TarReader.Entry, at path: String) {
        guard entry.kind != .symbolicLink else {
            if isRoot { _ = lchown(path, owner(entry), group(entry)) }
            return
        }
        if isRoot { _ = chown(path, owner(entry), group(entry)) }
        if entry.kind != .hardLink { _ = chmod(path, mode_t(entry.mode & 0o7777)) }
        let seconds = entry.mtime.rounded(.down)
        let time = timespec(tv_sec: Int(seconds), tv_nsec: Int((entry.mtime - seconds) * 1e9))
        let times = [time, time]
        _ = utimensat(AT_FDCWD, path, times, 0)
    }

    /// Python's tarfile looks names up first and falls back to the numbers.
    private func owner(_ entry: TarReader.Entry) -> uid_t {
        getpwnam(entry.userName).map { $0.pointee.pw_uid } ?? uid_t(truncatingIfNeeded: entry.uid)
    }

    private func group(_ entry: TarReader.Entry) -> gid_t {
        getgrnam(entry.groupName).map { $0.pointee.gr_gid } ?? gid_t(truncatingIfNeeded: entry.gid)
    }

    /// The path on disk for a member name; its parents are created as needed and must be
    /// real directories.
    private func target(for name: String) throws(TarError) -> String {
        let parts = name.split(separator: "/").filter { $0 != "." }
        guard !parts.isEmpty, !parts.contains("..") else {
            throw TarError("Refusing to extract '\(name)': it would land outside \(PythonText.repr(directory)).")
        }
        var path = directory
        for part in parts.dropLast() {
            path += "/" + part
            if mkdir(path, 0o777) != 0 {
                guard errno == EEXIST else { throw .system(errno, path) }
                guard Self.isDirectory(path, following: false) else {
                    throw TarError("Refusing to extract '\(name)': \(PythonText.repr(path)) is not a directory.")
                }
            }
        }
        return path + "/" + parts[parts.count - 1]
    }

    /// Makes room for a non-directory member; an existing directory stays (and fails).
    private func removeExisting(_ path: String) throws(TarError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR { throw .system(EISDIR, path) }
        guard unlink(path) == 0 else { throw .system(errno, path) }
    }

    static func isDirectory(_ path: String, following: Bool) -> Bool {
        var info = stat()
        let status = following ? stat(path, &info) : lstat(path, &info)
        return status == 0 && info.st_mode & S_IFMT == S_IFDIR
    }
}
