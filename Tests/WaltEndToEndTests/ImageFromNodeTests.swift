import Foundation
import Testing

/// Images made from what a node changed, through the real services of a testbed with an
/// image store: `walt node cp <node>:<path> booted-image` (the path saved into the image
/// the node booted, which reboots on it), `walt node save` (the node's changes since boot
/// as a new image, then over it after a confirmation) and `walt advanced
/// update-default-images` (a newer archive replaces a default image), with our `walt` and
/// the Python client 10.0 taking turns. The testbed's removal takes every image with it.
@Suite(.serialized, .enabled(if: Testbed.available && Testbed.nodeToolsAvailable
                                 && FileManager.default.isExecutableFile(atPath: "/usr/bin/podman"),
                             "needs root, the boot path's packages, dropbear, ssh and podman (Scripts/install-deps.sh)"))
struct ImageFromNodeTests {
    @Test func imagesFromANodesChanges() throws {
        let testbed = try Testbed(options: ["--images"])
        defer { testbed.down() }
        #expect(try testbed.script(["node", testbed.directory.path, "n1", "pc-x86-64", "02:57:41:00:03:01"]).status == 0)
        let node = "n1-000301"
        let ours = testbed.directory.appendingPathComponent("bin/walt").path
        let python = try PythonClient.locate()
        let home = try testbed.home("alice")
        func run(_ client: String, _ arguments: [String], stdin: String? = nil) throws -> WaltBinary.Outcome {
            try WaltBinary.run(["netns", "exec", testbed.namespace, client] + arguments, executable: "/usr/sbin/ip",
                               environment: ["HOME": home.path], stdin: stdin)
        }
        func onNode(_ command: String) throws -> String {
            try run(ours, ["node", "run", node, "--", command]).stdout
        }
        func waitBooted() throws {
            #expect(try run(ours, ["node", "wait", node]).status == 0)
        }
        #expect(try testbed.waitFor("n1 booted on its default image") {
            try run(ours, ["node", "show", "--all"]).stdout.split(separator: "\n")
                .contains { $0.hasPrefix(node + " ") && $0.trimmingCharacters(in: .whitespaces).hasSuffix("yes") }
        })

        // Nothing newer than the imported archive yet (both clients alike).
        for client in [ours, python] {
            let update = try run(client, ["advanced", "update-default-images"])
            #expect(update.status == 0 && update.stdout.hasSuffix("No updates available.\n"), "\(update)")
        }

        // n1 boots the user's copy of the default image.
        #expect(try run(ours, ["image", "show"]).stdout.contains("sim-default"))
        #expect(try run(python, ["node", "boot", node, "sim-default"]).status == 0)
        try waitBooted()

        // node cp ... booted-image: a file sent to the node survives its reboot (the node's
        // own changes live in RAM) because it went into the image; our client, then Python's.
        let local = testbed.directory.appendingPathComponent("hello.txt")
        try "hello from the node\n".write(to: local, atomically: true, encoding: .utf8)
        #expect(try run(ours, ["node", "cp", local.path, "\(node):/root/"]).status == 0)
        let refusedSource = try run(ours, ["node", "cp", "booted-image", "\(node):/root/"])
        #expect(refusedSource.status == 1
                && refusedSource.stderr.contains("Keyword 'booted-image' can only be used as destination, not source."),
                "\(refusedSource)")
        let missing = try run(ours, ["node", "cp", "\(node):/root/missing", "booted-image"], stdin: "y\n")
        #expect(missing.status == 1 && missing.stderr.contains("No such file or directory: /root/missing"), "\(missing)")
        let copied = try run(ours, ["node", "cp", "\(node):/root/hello.txt", "booted-image"], stdin: "y\n")
        #expect(copied.status == 0, "\(copied)")
        #expect(copied.stderr.contains("This operation would reboot 1 node(s) currently using the image."), "\(copied)")
        #expect(copied.stdout.contains("updated.") && copied.stdout.contains("Trying to reboot node \(node) using this image..."),
                "\(copied)")
        try waitBooted()
        #expect(try onNode("cat /root/hello.txt") == "hello from the node\n")
        #expect(try onNode("echo python > /root/py.txt; mkdir -p /root/dir/sub; echo deep > /root/dir/sub/f").isEmpty)
        let pythonCopy = try run(python, ["node", "cp", "\(node):/root/dir", "booted-image"], stdin: "y\n")
        #expect(pythonCopy.status == 0 && pythonCopy.stdout.contains("Trying to reboot node"), "\(pythonCopy)")
        try waitBooted()
        #expect(try onNode("cat /root/dir/sub/f /root/hello.txt; ls /root") == "deep\nhello from the node\ndir\nhello.txt\n")

        // node save: the changes since boot, as a new image, then booted.
        #expect(try onNode("mkdir -p /opt/new && echo saved > /opt/new/f && echo changed >> /etc/os-release").isEmpty)
        let save = try run(ours, ["node", "save", node, "fromnode"])
        #expect(save.status == 0 && save.stdout.contains("** Analysing changes made on this node"), "\(save)")
        #expect(try run(python, ["node", "boot", node, "fromnode"]).status == 0)
        try waitBooted()
        #expect(try onNode("cat /opt/new/f; tail -n 1 /etc/os-release; cat /root/hello.txt") == "saved\nchanged\nhello from the node\n")

        // Saving over the image the node boots: refused without the confirmation, then
        // confirmed (Python's client); the node reboots on it.
        #expect(try onNode("echo second > /opt/new/g").isEmpty)
        let declined = try run(ours, ["node", "save", node, "fromnode"], stdin: "n\n")
        #expect(declined.status == 1
                && declined.stderr.contains("An image has the same name in your working set.\nThis operation would overwrite it (and reboot 1 node(s)).\n"),
                "\(declined)")
        let overwrite = try run(python, ["node", "save", node, "fromnode"], stdin: "y\n")
        #expect(overwrite.status == 0 && overwrite.stdout.contains("Trying to reboot node \(node) using this image..."),
                "\(overwrite)")
        try waitBooted()
        #expect(try onNode("cat /opt/new/f /opt/new/g") == "saved\nsecond\n")

        // update-default-images: an archive of that image, newer than the default image,
        // replaces it; released, n1 boots the updated default image.
        let archive = testbed.directory.appendingPathComponent("default-images/zz-newer.tar").path
        let saved = try WaltBinary.run(["--root", testbed.directory.appendingPathComponent("podman/root").path,
                                        "--runroot", testbed.directory.appendingPathComponent("podman/run").path,
                                        "save", "--format", "docker-archive", "-o", archive, "docker.io/alice/fromnode:latest"],
                                       executable: "/usr/bin/podman",
                                       environment: ["CONTAINERS_CONF": testbed.directory.appendingPathComponent("containers.conf").path])
        #expect(saved.status == 0, "\(saved)")
        let update = try run(ours, ["advanced", "update-default-images"])
        #expect(update.status == 0 && update.stdout.contains(
            "Updating waltplatform/pc-x86-64-default:latest using a newer version from \(archive)...\n"), "\(update)")
        #expect(try run(python, ["advanced", "update-default-images"]).stdout.hasSuffix("No updates available.\n"))
        #expect(try run(ours, ["node", "release", node]).status == 0)
        try waitBooted()
        #expect(try onNode("cat /opt/new/g") == "second\n")
    }
}
