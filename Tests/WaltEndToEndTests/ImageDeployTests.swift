import Foundation
import Testing

/// Images deployed to simulated nodes through the real services of a testbed with an image
/// store: a node boots its default image, then the user's copy, then a changed copy, with
/// our `walt` and the Python client 10.0 taking turns; `release` brings the default back.
@Suite(.serialized, .enabled(if: Testbed.available && Testbed.nodeToolsAvailable
                                 && FileManager.default.isExecutableFile(atPath: "/usr/bin/podman"),
                             "needs root, the boot path's packages, dropbear, ssh and podman (Scripts/install-deps.sh)"))
struct ImageDeployTests {
    @Test func nodesBootTheImagesDeployedToThem() throws {
        let testbed = try Testbed(options: ["--images"])
        defer { testbed.down() }
        let mac = "02:57:41:00:02:01"
        #expect(try testbed.script(["node", testbed.directory.path, "n1", "pc-x86-64", mac]).status == 0)
        let node = "n1-000201"
        let ours = testbed.directory.appendingPathComponent("bin/walt").path
        let python = try PythonClient.locate()
        let home = try testbed.home("alice")
        func run(_ client: String, _ arguments: [String], stdin: String? = nil) throws -> WaltBinary.Outcome {
            try WaltBinary.run(["netns", "exec", testbed.namespace, client] + arguments, executable: "/usr/sbin/ip",
                               environment: ["HOME": home.path], stdin: stdin)
        }
        func booted() throws -> Bool {
            try run(ours, ["node", "show", "--all"]).stdout.split(separator: "\n")
                .contains { $0.hasPrefix(node + " ") && $0.trimmingCharacters(in: .whitespaces).hasSuffix("yes") }
        }
        func onNode(_ command: String) throws -> String {
            try run(ours, ["node", "run", node, "--", command]).stdout
        }

        // The default image, imported from the testbed's archive when the node registered.
        #expect(try testbed.waitFor("n1 booted on its default image") { try booted() })
        #expect(try onNode("cat /etc/os-release").contains("WalT simulated node"))

        // The user's copy (made by `image show` on first use), deployed with the Python client.
        let show = try run(ours, ["image", "show"])
        #expect(show.stdout.contains("sim-default"), "\(show)")
        let boot = try run(python, ["node", "boot", node, "sim-default"])
        #expect(boot.status == 0 && boot.stdout.contains("will now boot sim-default"), "\(boot)")
        #expect(try run(ours, ["node", "wait", node]).status == 0)
        #expect(try run(ours, ["node", "show"]).stdout.contains("sim-default"))

        // Shell completion of cp operands (walt-autocomplete-helper): remote paths on the node
        // over ssh and in the image through a container, local paths from the client.
        func complete(_ words: [String]) throws -> String {
            try WaltBinary.run(["netns", "exec", testbed.namespace, "env", "WALT_PERSONALITY=walt-autocomplete-helper", ours]
                               + words, executable: "/usr/sbin/ip", environment: ["HOME": home.path]).stdout
        }
        #expect(try complete(["NODE_CP_SRC", "walt", "node", "cp", "\(node):/et"]) == "\(node):/etc/a \(node):/etc/b\n")
        #expect(try complete(["IMAGE_CP_SRC", "walt", "image", "cp", "sim-default:/etc/os-rel"])
                == "sim-default:/etc/os-release\n")
        let local = testbed.directory.appendingPathComponent("complete-me.txt")
        try "x".write(to: local, atomically: false, encoding: .utf8)
        #expect(try complete(["NODE_CP_SRC", "walt", "node", "cp", testbed.directory.path + "/complete-m"])
                == local.path + "\n")
        #expect(try complete(["NODE_CP_DST", "walt", "node", "cp", "\(node):/etc/hostname", "boot"]) == "booted-image\n")

        // A file copied into the image: after the confirmation (the image is in use), the
        // node reboots on the new version and sees it.
        let marker = testbed.directory.appendingPathComponent("marker")
        try "first version\n".write(to: marker, atomically: true, encoding: .utf8)
        let copy = try run(ours, ["image", "cp", marker.path, "sim-default:/etc/"], stdin: "y\n")
        #expect(copy.status == 0 && (copy.stdout + copy.stderr).contains("would reboot 1 node(s)"), "\(copy)")
        #expect(try testbed.waitFor("n1 rebooted with the marker") {
            try booted() && (try? onNode("cat /etc/marker")) == "first version\n"
        })

        // A second image, deployed with our client; removing it is refused while n1 boots it.
        #expect(try run(python, ["image", "duplicate", "sim-default", "v2"]).status == 0)
        try "second version\n".write(to: marker, atomically: true, encoding: .utf8)
        #expect(try run(python, ["image", "cp", marker.path, "v2:/etc/"]).status == 0)
        let second = try run(ours, ["node", "boot", node, "v2"])
        #expect(second.status == 0 && second.stdout.contains("will now boot v2"), "\(second)")
        #expect(try run(ours, ["node", "wait", node]).status == 0)
        #expect(try onNode("cat /etc/marker") == "second version\n")
        let refused = try run(ours, ["image", "remove", "v2"])
        #expect(refused.stderr.contains("in use"), "\(refused)")

        // Released: the default image again, without the marker; v2 may go now.
        let release = try run(ours, ["node", "release", node])
        #expect(release.status == 0, "\(release)")
        #expect(try run(ours, ["node", "wait", node]).status == 0)
        #expect(try onNode("cat /etc/marker 2>&1").contains("No such file"))
        #expect(try run(ours, ["image", "remove", "v2"]).status == 0)
        #expect(!(try run(ours, ["image", "show"]).stdout.contains("v2 ")))
    }
}
