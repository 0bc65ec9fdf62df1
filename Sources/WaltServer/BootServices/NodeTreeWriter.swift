import Synchronization
import WaltCommon

/// Applies `NodeTree` directives to `<state>/nodes`, changing only what differs from the
/// last applied set (kept in `nodes/status.txt`). A path in the way that the tree did not
/// make is left alone and reported, never deleted; a broken status file resets the tree
/// (node directories keep `persist_dirs`, `disks` and `networks`). The status is read and
/// checked against the tree once; later passes trust the copy in memory, so a pass that
/// changes nothing touches no file (a /20 walt-net has 4,000 probing links).
public final class NodeTreeWriter: Sendable {
    public let nodesDirectory: String
    var statusPath: String { nodesDirectory + "/status.txt" }
    private let cached = Mutex<Set<String>?>(nil)

    public init(nodesDirectory: String) {
        self.nodesDirectory = nodesDirectory
    }

    /// Applies `wanted`; returns the paths it could not create because something else
    /// was there.
    @discardableResult
    public func apply(_ wanted: Set<String>) throws(FileTree.Failure) -> [String] {
        try FileTree.createDirectories(nodesDirectory + "/probing")
        if FileTree.kind(nodesDirectory + "/probing/tftp") == .missing {
            try FileTree.symlink("../../tftp-static", at: nodesDirectory + "/probing/tftp")
        }
        var applied: Set<String>
        if let known = cached.withLock({ $0 }) { applied = known } else { applied = try loadStatus() }
        if applied == wanted { return [] }
        // Links before directories when removing, directories before links when adding.
        for directive in applied.subtracting(wanted).sorted(by: >) {
            let words = directive.split(separator: " ").map(String.init)
            if words[0] == "SYMLINK", FileTree.kind(path(words[2])) == .symlink {
                try FileTree.unlink(path(words[2]))
            } else if words[0] == "DIR", FileTree.kind(path(words[1])) == .directory {
                try FileTree.removeTree(path(words[1]))
            }
        }
        applied.formIntersection(wanted)
        var conflicts: [String] = []
        for directive in wanted.subtracting(applied).sorted() {
            let words = directive.split(separator: " ").map(String.init)
            if words[0] == "DIR" {
                try FileTree.createDirectories(path(words[1]))
            } else {
                let link = path(words[2])
                switch FileTree.kind(link) {
                case .symlink: try FileTree.unlink(link)
                case .missing: break
                case .directory, .other:
                    conflicts.append(link)
                    continue
                }
                if words[1].hasPrefix("persist_dirs/") {
                    let parent = String(link[..<link.lastIndex(of: "/")!])
                    try FileTree.createDirectories(parent + "/" + words[1])
                }
                try FileTree.symlink(words[1], at: link)
            }
            applied.insert(directive)
        }
        try FileTree.ensureContent(statusPath, applied.sorted().joined(separator: "\n") + "\n")
        cached.withLock { $0 = applied }
        return conflicts
    }

    private func path(_ relative: String) -> String {
        nodesDirectory + "/" + relative
    }

    /// The last applied directives; if the file does not match the tree, the tree is reset.
    private func loadStatus() throws(FileTree.Failure) -> Set<String> {
        guard let text = try? TextFile.read(statusPath, limit: 64 << 20) else {
            try reset()
            return []
        }
        let lines = Set(text.split(separator: "\n").map(String.init))
        let consistent = lines.allSatisfy { line in
            let words = line.split(separator: " ")
            switch (words.first, words.count) {
            case ("DIR", 2): return FileTree.kind(path(String(words[1]))) == .directory
            case ("SYMLINK", 3): return FileTree.kind(path(String(words[2]))) == .symlink
            default: return false
            }
        }
        if consistent { return lines }
        try reset()
        return []
    }

    private func reset() throws(FileTree.Failure) {
        guard FileTree.kind(nodesDirectory) == .directory else { return }
        for name in try FileTree.entries(nodesDirectory) where name != "probing" && name != "status.txt" {
            let entry = path(name)
            guard FileTree.kind(entry) == .directory else {
                try FileTree.unlink(entry)
                continue
            }
            for inner in try FileTree.entries(entry) where !["persist_dirs", "disks", "networks"].contains(inner) {
                try FileTree.removeTree(entry + "/" + inner)
            }
        }
    }
}
