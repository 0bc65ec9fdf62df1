#if canImport(Glibc)
import Glibc
#endif
import WaltCommon
import WaltStore

/// Runs `NodeDiff` against one node: two ssh round trips (the listing, then the archive of
/// what changed), the comparison in between against the image the node booted, at
/// `imageRoot` (its mount on the server). Node output goes to files, so that a tar never
/// mixes with ssh's messages.
struct NodeDiffDump {
    let keys: NodeKeys
    let ip: String
    let imageRoot: String

    /// Writes the node's changes as a tar at `archive`; returns how many paths it holds
    /// (0: nothing changed, no archive written). `work` is a private directory.
    func run(work: String, archive: String) async throws -> Int {
        let listing = work + "/listing"
        try await ssh(NodeDiff.listScript, output: listing)
        let (entries, bootup) = NodeDiff.parse(try Self.readLossy(listing))
        let root = imageRoot
        let paths = NodeDiff.changes(entries, bootup: bootup) { Self.inImage(root + $0) }
        guard !paths.isEmpty else { return 0 }
        let list = work + "/paths"
        do {
            try TextFile.write(list, paths.joined(separator: "\n") + "\n", mode: 0o600)
        } catch {
            throw ImageCommandError(message: "cannot write the list of changes: \(error)")
        }
        try await ssh(NodeDiff.dumpScript, input: list, output: archive)
        return paths.count
    }

    /// One ssh round trip; its stderr's last line in the error when it fails.
    private func ssh(_ script: String, input: String? = nil, output: String) async throws {
        try keys.ensure()
        var argv = SessionCommand(keys: keys).ssh(to: ip, remote: script)
        guard let ssh = Subprocess.firstExecutable(among: ["/usr/bin/ssh", "/bin/ssh", "/usr/local/bin/ssh"]) else {
            throw ImageCommandError(message: "ssh is not installed on this server")
        }
        argv.removeFirst()
        var command = Subprocess(executable: ssh, arguments: ["-o", "BatchMode=yes"] + argv)
        command.inputFile = input
        command.outputFile = output
        let outcome = try await command.runInBackground()
        guard outcome.succeeded else {
            let last = outcome.output.split(separator: "\n").last.map(String.init) ?? "exit status \(outcome.exitStatus)"
            throw ImageCommandError(message: last)
        }
    }

    /// A file's text, bytes that are not UTF-8 replaced (file names may be anything).
    static func readLossy(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImageCommandError(message: "cannot read the node's file list: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0 {
                throw ImageCommandError(message: "cannot read the node's file list: \(String(cString: strerror(errno)))")
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What the image has at `path` (not following a last symbolic link), nil if nothing.
    static func inImage(_ path: String) -> NodeDiff.InImage? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        return .other(ctime: Int(info.st_ctim.tv_sec))
    }
}
