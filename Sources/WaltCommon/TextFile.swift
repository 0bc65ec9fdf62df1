#if canImport(Glibc)
import Glibc
#endif

/// Reads a small UTF-8 configuration file without Foundation (the client path and the
/// server tools must not load it).
public enum TextFile {
    /// The text of `path`, or nil if it does not exist. Larger than `limit` bytes, not
    /// UTF-8, or unreadable: an error naming the file.
    public static func read(_ path: String, limit: Int = 1 << 20) throws(ConfigError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("cannot read", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4096) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw failure("cannot read", path) }
            if n == 0 { break }
            bytes += buffer[..<n]
            guard bytes.count <= limit else { throw ConfigError(line: 0, "\(path) is larger than \(limit >> 20) MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(line: 0, "\(path) is not valid UTF-8")
        }
        return text
    }

    /// Replaces the content of `path` with `text` (created with `mode`; an existing file
    /// is set to `mode` too, so a secret file never stays readable by others).
    public static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws(ConfigError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure("cannot write", path) }
        defer { close(fd) }
        fchmod(fd, mode)
        guard Array(text.utf8).withUnsafeBytes({ WriteAll.write(fd, $0) }) == 0 else { throw failure("cannot write", path) }
    }

    static func failure(_ what: String, _ path: String) -> ConfigError {
        ConfigError(line: 0, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
