#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Small files walt-net-config keeps in the state directory (`/var/lib/walt`): the links
/// `up` created, one per line, for `down`; and walt-net's MAC address, so the bridge keeps
/// it across reboots (nodes and the DHCP leases see the same server).
struct StateFile {
    let path: String

    func lines() throws(ConfigError) -> [String]? {
        try TextFile.read(path).map { $0.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }
    }

    func write(_ lines: [String]) throws(ConfigError) {
        try TextFile.write(path, lines.map { $0 + "\n" }.joined())
    }

    func remove() {
        unlink(path)
    }

    /// Creates `directory` if needed; a non-directory in the way is replaced, as upstream.
    static func ensureDirectory(_ directory: String) throws(ConfigError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            unlink(directory)
        }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            throw ConfigError(line: 0, "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
    }
}
