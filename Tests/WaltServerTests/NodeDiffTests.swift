import Foundation
import Testing
import WaltCommon
@testable import WaltServer

/// The pure parts of `walt node save`, `walt node cp ... booted-image` and
/// `walt advanced update-default-images`: the node listing, what counts as a change, the
/// scripts run on a node (with the host's busybox), the default
/// image names and the choice of archive.
struct NodeDiffTests {
    @Test func testParse_entriesAndBootupMark_otherLinesSkipped() {
        let listing = """
            @d 10 11 .
            @d 10 11 ./etc
            Warning: Permanently added 'walt.node' (ECDSA) to the list of known hosts.
            @f 12 13 ./etc/a file with spaces
            @f 12 13 ./etc/x y
            @f nope 13 ./bad
            @f 1 2 ./not-utf8-\u{FFFD}
            @r 100 101
            """
        let (entries, bootup) = NodeDiff.parse(listing)
        #expect(entries == [
            NodeDiff.Entry(kind: .directory, mtime: 10, ctime: 11, path: "/etc"),
            NodeDiff.Entry(kind: .file, mtime: 12, ctime: 13, path: "/etc/a file with spaces"),
            NodeDiff.Entry(kind: .file, mtime: 12, ctime: 13, path: "/etc/x y"),
        ])
        #expect(bootup?.mtime == 100 && bootup?.ctime == 101)
        #expect(NodeDiff.parse("@d 1 2 .\n").bootup == nil)
    }

    @Test func testChanges_newOrOtherCtimeKept_sameCtimeAndImageDirectoriesSkipped() {
        let entries = [
            NodeDiff.Entry(kind: .directory, mtime: 5, ctime: 5, path: "/root"),
            NodeDiff.Entry(kind: .directory, mtime: 50, ctime: 50, path: "/root/new"),
            NodeDiff.Entry(kind: .file, mtime: 50, ctime: 50, path: "/root/new/f"),
            NodeDiff.Entry(kind: .file, mtime: 5, ctime: 5, path: "/bin/sh"),
            NodeDiff.Entry(kind: .file, mtime: 5, ctime: 60, path: "/etc/passwd"),
            NodeDiff.Entry(kind: .file, mtime: 60, ctime: 60, path: "/var/log/messages"),
            NodeDiff.Entry(kind: .file, mtime: 60, ctime: 60, path: "/etc/machine-id"),
            NodeDiff.Entry(kind: .file, mtime: 60, ctime: 60, path: "/var/lib/dpkg/lock"),
            NodeDiff.Entry(kind: .file, mtime: 60, ctime: 60, path: "/var/lib/x.lock"),
            NodeDiff.Entry(kind: .file, mtime: 60, ctime: 60, path: "/etc"),   // a directory in the image
        ]
        let image: [String: NodeDiff.InImage] = ["/root": .directory, "/bin/sh": .other(ctime: 5),
                                                 "/etc/passwd": .other(ctime: 5), "/etc": .directory]
        #expect(NodeDiff.changes(entries, bootup: nil) { image[$0] }
            == ["./etc", "./etc/passwd", "./root/new", "./root/new/f", "./var/lib/dpkg/lock"])
        // With upstream's bootup mark, what changed before it stays out.
        #expect(NodeDiff.changes(entries, bootup: (mtime: 55, ctime: 55)) { image[$0] }
            == ["./etc", "./etc/passwd", "./var/lib/dpkg/lock"])
        #expect(NodeDiff.ignored("/run/walt-env") && NodeDiff.ignored("/bin/_walt_internal_/x") && !NodeDiff.ignored("/var/log"))
    }

    @Test func testScripts_listAndArchiveWithBusybox() throws {
        guard let busybox = Subprocess.firstExecutable(among: ["/bin/busybox", "/usr/bin/busybox"]) else { return }
        var template = Array("/tmp/walt-nodediff.XXXXXX".utf8CString)
        let root = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileTree.removeTree(root); try? FileTree.removeTree(root + ".bin") }
        let path = try Self.appletPath(busybox, in: root + ".bin")
        try FileTree.createDirectories(root + "/new dir")
        try TextFile.write(root + "/new dir/f g", "x\n")
        try FileTree.symlink("new dir", at: root + "/link")
        // Scripts start with `cd /`: run them with the scratch directory as / for find.
        let list = NodeDiff.listScript.replacingOccurrences(of: "cd / &&", with: "cd \(root) &&")
        let listed = try Subprocess(executable: busybox, arguments: ["sh", "-c", list],
                                    environment: ["PATH": path]).run()
        let (entries, _) = NodeDiff.parse(listed.output)
        #expect(Set(entries.map(\.path)) == ["/new dir", "/new dir/f g", "/link"], "\(listed.output)")
        try TextFile.write(root + ".paths", "./new dir\n./new dir/f g\n./link\n")
        defer { _ = unlink(root + ".paths"); _ = unlink(root + ".tar") }
        var dump = Subprocess(executable: busybox, arguments: [
            "sh", "-c", NodeDiff.dumpScript.replacingOccurrences(of: "cd / &&", with: "cd \(root) &&")],
                              environment: ["PATH": path])
        dump.inputFile = root + ".paths"
        dump.outputFile = root + ".tar"
        #expect(try dump.run().succeeded)
        let members = try Subprocess(executable: busybox, arguments: ["tar", "-t", "-f", root + ".tar"]).run().output
        #expect(members == "./new dir/\n./new dir/f g\n./link\n")
        // GNU tar, when the node has it, reads the list itself.
        guard Subprocess.firstExecutable(among: ["/usr/bin/tar", "/bin/tar"]) != nil else { return }
        dump = Subprocess(executable: "/bin/sh", arguments: [
            "-c", NodeDiff.dumpScript.replacingOccurrences(of: "cd / &&", with: "cd \(root) &&")])
        dump.inputFile = root + ".paths"
        dump.outputFile = root + ".tar"
        #expect(try dump.run().succeeded)
        let gnu = try Subprocess(executable: busybox, arguments: ["tar", "-t", "-f", root + ".tar"]).run().output
        #expect(gnu == "./new dir/\n./new dir/f g\n./link\n", "\(gnu)")
    }

    /// A PATH (`directory`, made here) where busybox's applets (find, xargs, stat, tar)
    /// answer by name.
    static func appletPath(_ busybox: String, in directory: String) throws -> String {
        try FileTree.createDirectories(directory)
        for applet in ["find", "xargs", "stat", "tar"] { try FileTree.symlink(busybox, at: directory + "/" + applet) }
        return directory
    }

    @Test func testDefaultImageModel_andNewestArchive() {
        #expect(ImageStore.defaultImageModel(ImageName.defaultImage(model: "rpi-3-b-plus")) == "rpi-3-b-plus")
        #expect(ImageStore.defaultImageModel(ImageName(user: "alice", name: "pc-x86-64-default")) == nil)
        #expect(ImageStore.defaultImageModel(ImageName(user: "waltplatform", name: "pc-x86-64-default:1.0")) == nil)
        let archives = [
            DefaultImageArchives.Archive(path: "/a.tar", transport: "docker-archive", models: ["m"], created: 100),
            DefaultImageArchives.Archive(path: "/b.tar", transport: "oci-archive", models: ["m"], created: 300),
            DefaultImageArchives.Archive(path: "/c.tar", transport: "docker-archive", models: ["m"], created: 200),
        ]
        #expect(DefaultImageArchives.newest(archives, after: 150)?.path == "/b.tar")
        #expect(DefaultImageArchives.newest(archives, after: 300) == nil)
        #expect(DefaultImageArchives.newest([], after: 0) == nil)
    }
}
