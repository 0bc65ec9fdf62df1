#if canImport(Glibc)
import Glibc
#endif

/// Writes an uncompressed tar stream the way upstream's client does
/// (`tarfile.open(mode="w|")` + `add(src, arcname=dst_name, filter=set_root)`): one top
/// member renamed, directories walked in sorted order, symlinks kept as links, hard links
/// of files already sent as link members, every owner `root` (0:0). Sockets are skipped
/// as Python skips them. Names or sizes that ustar cannot hold go in a pax header.
///
/// Bytes go to `sink` in chunks; the stream ends with two zero blocks and is padded to
/// tarfile's 10240-byte record.
struct TarWriter {
    static let recordSize = 10240
    static let chunkSize = 1 << 16

    private let sink: ([UInt8]) throws(TarError) -> Void
    private var buffer: [UInt8] = []
    private var total = 0
    private var firstNames: [FileID: String] = [:]

    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    init(sink: @escaping ([UInt8]) throws(TarError) -> Void) {
        self.sink = sink
    }

    /// Adds `path` (and, for a directory, everything below it) as `name`.
    mutating func add(_ path: String, as name: String) throws(TarError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .system(errno, path) }
        var header = TarHeader()
        header.name = name
        header.mode = Int(info.st_mode & 0o7777)
        header.mtime = Int(info.st_mtim.tv_sec)
        header.userName = "root"
        header.groupName = "root"
        let type = info.st_mode & S_IFMT
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        if type != S_IFDIR && info.st_nlink > 1, let first = firstNames[id] {
            header.kind = .hardLink
            header.linkName = first
            try emit(header)
            return
        }
        switch type {
        case S_IFREG:
            header.kind = .file
            header.size = Int(info.st_size)
        case S_IFDIR:
            header.kind = .directory
            if !name.hasSuffix("/") { header.name += "/" }
        case S_IFLNK:
            header.kind = .symbolicLink
            header.linkName = try Self.readLink(path)
        case S_IFIFO:
            header.kind = .fifo
        case S_IFCHR, S_IFBLK:
            header.kind = type == S_IFCHR ? .characterDevice : .blockDevice
            let device = UInt64(info.st_rdev)
            header.deviceMajor = Int(((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff))
            header.deviceMinor = Int((device & 0xff) | ((device >> 12) & ~0xff))
        default:
            return   // sockets and the like: tarfile leaves them out
        }
        if type != S_IFDIR && info.st_nlink > 1 { firstNames[id] = name }
        try emit(header)
        if type == S_IFREG {
            try copyContents(path, size: header.size)
        } else if type == S_IFDIR {
            for child in try Self.sortedEntries(path) {
                try add(path + "/" + child, as: Self.join(name, child))
            }
        }
    }

    /// The end of the archive: two zero blocks, then padding to a full record.
    mutating func finish() throws(TarError) {
        append([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        let rest = total % Self.recordSize
        if rest != 0 { append([UInt8](repeating: 0, count: Self.recordSize - rest)) }
        try flush()
    }

    private mutating func emit(_ header: TarHeader) throws(TarError) {
        var records: [(keyword: String, value: String)] = []
        if !Self.fitsUstar(header.name) { records.append(("path", header.name)) }
        if !Self.fitsUstar(header.linkName) { records.append(("linkpath", header.linkName)) }
        if !TarHeader.fitsOctal(header.size, length: 12) { records.append(("size", String(header.size))) }
        if !records.isEmpty {
            let body = TarPaxRecords.encode(records)
            var pax = TarHeader()
            pax.name = "././@PaxHeader"
            pax.kind = .paxExtended
            pax.size = body.count
            append(pax.encode())
            appendPadded(body)
        }
        append(header.encode())
        try flushIfFull()
    }

    /// Python's pax format keeps a name in the ustar field only when it is ASCII and short.
    private static func fitsUstar(_ text: String) -> Bool {
        text.utf8.count <= 100 && text.utf8.allSatisfy { $0 < 0x80 }
    }

    private mutating func copyContents(_ path: String, size: Int) throws(TarError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(errno, path) }
        defer { close(fd) }
        var left = size
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        while left > 0 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, left)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(errno, path)
            }
            guard count > 0 else { throw TarError("unexpected end of data") }   // the file shrank
            append(chunk[..<count])
            left -= count
            try flushIfFull()
        }
        let rest = size % TarHeader.blockSize
        if rest != 0 { append([UInt8](repeating: 0, count: TarHeader.blockSize - rest)) }
    }

    private mutating func appendPadded(_ bytes: [UInt8]) {
        append(bytes)
        let rest = bytes.count % TarHeader.blockSize
        if rest != 0 { append([UInt8](repeating: 0, count: TarHeader.blockSize - rest)) }
    }

    private mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
        total += bytes.count
    }

    private mutating func flushIfFull() throws(TarError) {
        if buffer.count >= Self.chunkSize { try flush() }
    }

    private mutating func flush() throws(TarError) {
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer = []
        try sink(chunk)
    }

    private static func readLink(_ path: String) throws(TarError) -> String {
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &target, target.count - 1)
        guard count >= 0 else { throw .system(errno, path) }
        return String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `os.path.join(name, child)`: an image build adds its directory as "" (members at
    /// the root of the archive), so its children are named without a leading slash.
    static func join(_ name: String, _ child: String) -> String {
        name.isEmpty || name.hasSuffix("/") ? name + child : name + "/" + child
    }

    /// `sorted(os.listdir(path))`.
    static func sortedEntries(_ path: String) throws(TarError) -> [String] {
        guard let directory = opendir(path) else { throw .system(errno, path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }
}
