import Foundation
import Testing

/// The image store on real podman (a private store per test): a node of a new model gets
/// its default image from the archives directory, mounted where its node tree and the NFS
/// exports point; `walt image show` clones it into the user's working set; clones from
/// archives, deployment with set_image, the grace before unmounting, and the unmounts at stop.
@Suite(.serialized) struct ImageStoreTests {
    static let model = "sim-x86"
    static let mac = "b8:27:eb:12:34:56"

    /// A scratch podman store where the test builds its archives, then removes.
    struct Fixtures {
        let directory: URL
        var archives: URL { directory.appendingPathComponent("archives") }

        init() throws {
            directory = URL(fileURLWithPath: "/tmp/wt-img-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: archives, withIntermediateDirectories: true)
            try DaemonHarness.containersConf.write(to: directory.appendingPathComponent("containers.conf"),
                                                   atomically: true, encoding: .utf8)
        }

        @discardableResult
        func podman(_ arguments: [String]) throws -> WaltBinary.Outcome {
            let outcome = try WaltBinary.run(
                ["--root", directory.path + "/root", "--runroot", directory.path + "/run"] + arguments,
                executable: "/usr/bin/podman",
                environment: ["CONTAINERS_CONF": directory.path + "/containers.conf"], timeout: 60)
            #expect(outcome.status == 0, "podman \(arguments): \(outcome.stderr)")
            return outcome
        }

        /// A busybox root with boot files for `models` and `/etc/variant`, saved as an archive.
        /// Default images go to `archives`, the others next to it.
        func archive(_ name: String, models: String, variant: String, format: String = "docker-archive",
                     isDefault: Bool = true) throws -> String {
            let root = directory.appendingPathComponent("rootfs-\(name)")
            for sub in ["bin", "etc"] + models.split(separator: ",").map({ "boot/\($0)" }) {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root.appendingPathComponent("bin/busybox").path)
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("bin/sh").path, withDestinationPath: "busybox")
            try variant.write(to: root.appendingPathComponent("etc/variant"), atomically: true, encoding: .utf8)
            for model in models.split(separator: ",") {
                try "#!ipxe\n".write(to: root.appendingPathComponent("boot/\(model)/start.ipxe"), atomically: true, encoding: .utf8)
            }
            let tar = directory.appendingPathComponent("\(name).rootfs.tar").path
            #expect(try WaltBinary.run(["-C", root.path, "-cf", tar, "."], executable: "/bin/tar").status == 0)
            let reference = "docker.io/fixtures/\(name):latest"
            try podman(["import", "--change", "LABEL walt.node.models=\(models)", "--change", "CMD [\"/bin/sh\"]", tar, reference])
            let path = (isDefault ? archives : directory).appendingPathComponent("\(name).tar").path
            try podman(["save", "--format", format, "-o", path, reference])
            try podman(["rmi", reference])
            return path
        }

        func remove() {
            DaemonHarness.unmountAll(under: directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The daemon's podman store is under the fixtures directory too (`daemon-root`).
    static func serverConf(_ fixtures: Fixtures) -> String {
        """
        network:
            walt-net:
                ip: 192.168.183.1/24
        images:
            podman-root: \(fixtures.directory.path)/daemon-root
            podman-runroot: \(fixtures.directory.path)/daemon-run
            containers-conf: \(fixtures.directory.path)/containers.conf
            default-images-dir: \(fixtures.archives.path)

        """
    }

    /// Waits for `condition`, at most `seconds`.
    static func eventually(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(200_000)
        }
        return condition()
    }

    static func mounts(under path: String) -> [String] {
        DaemonHarness.mountPoints(under: path)
    }

    /// Runs a CSAPI call with the Python client 10.0's own link (for calls whose client
    /// command would also reboot nodes, which these tests do not have).
    static func pythonCall(_ client: PythonClient, _ expression: String) throws -> WaltBinary.Outcome {
        let python = URL(fileURLWithPath: client.executable).deletingLastPathComponent().appendingPathComponent("python").path
        let script = """
            from walt.client.link import ClientToServerLink
            with ClientToServerLink() as server:
                print(repr(\(expression)))
            """
        return try WaltBinary.run(["-c", script], executable: python, environment: ["HOME": client.home.path])
    }

    /// No registry is reachable here: the calls that need one say so and fail as upstream's.
    @Test func testRegistryCalls_refusedWithAClearLine() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        for (call, result) in [("server.publish_image('hub', 'img')", "(False,)"), ("server.registry_login('hub')", "False"),
                               ("server.update_hub_metadata('waltplatform')", "None")] {
            let outcome = try Self.pythonCall(alice, call)
            #expect(outcome.stdout == result + "\n", "\(call): \(outcome)")
            #expect(outcome.stderr.contains("Failed: this WalT server reaches no image registry"), "\(call): \(outcome)")
        }
    }

    @Test func testDefaultImage_importedMountedLinkedExportedThenShownAndDeployed() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try fixtures.archive("sim", models: Self.model, variant: "default")
        let second = try fixtures.archive("second", models: Self.model + ",other", variant: "second", format: "oci-archive",
                                        isDefault: false)
        let daemon = try DaemonHarness(serverConf: Self.serverConf(fixtures), environment: ["WALT_IMAGE_UNMOUNT_GRACE": "2"])
        var stopped = false
        defer { if !stopped { daemon.stop() } }
        let state = daemon.stateDirectory.path
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)

        // A node of a new model: its default image comes from the archive and is mounted.
        #expect(try daemon.dhcpEvent(["commit", "walt.node.\(Self.model)", "", "192.168.183.7", Self.mac, "", "0", "unknown"]).status == 0)
        // (tftp-static has a start.ipxe too: wait for the image's own files.)
        #expect(Self.eventually { FileManager.default.fileExists(atPath: "\(state)/nodes/\(Self.mac)/fs/etc/variant") }, "\(daemon.log)")
        let bootLink = try FileManager.default.destinationOfSymbolicLink(atPath: "\(state)/nodes/\(Self.mac)/tftp")
        #expect(bootLink.hasSuffix("/fs/boot/\(Self.model)"), "\(bootLink)")
        #expect(FileManager.default.fileExists(atPath: "\(state)/nodes/\(Self.mac)/tftp/start.ipxe"))
        let variant = try? String(contentsOfFile: "\(state)/nodes/\(Self.mac)/fs/etc/variant", encoding: .utf8)
        #expect(variant == "default")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: "\(state)/nodes/\(Self.mac)/fs")
        let firstID = link.split(separator: "/").dropLast().last.map(String.init) ?? ""
        #expect(link == "../../images/\(firstID)/fs" && firstID.count == 64, "\(link)")
        #expect(Self.mounts(under: state).contains("\(state)/images/\(firstID)/fs"))
        let exports = try String(contentsOfFile: "\(state)/exports/walt.exports", encoding: .utf8)
        #expect(exports.contains("\(state)/images/\(firstID)/fs 192.168.183.0/24(fsid=\(firstID.prefix(32)),ro,sync,no_root_squash,no_subtree_check)"),
                "\(exports)")
        #expect(daemon.log.contains("Image waltplatform/\(Self.model)-default:latest was downloaded successfully."), "\(daemon.log)")

        // First `walt image show`: the default image is cloned into alice's working set.
        let shown = try alice.run(["image", "show"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("Cloned \(Self.model)-default:latest, a defaut image for \(Self.model).\n"), "\(shown.stdout)")
        #expect(shown.stdout.contains("Your working set is made of the following images:"))
        #expect(shown.stdout.contains("\n\(Self.model)-default  False   "), "\(shown.stdout)")
        let again = try alice.run(["image", "show"])
        #expect(!again.stdout.contains("Cloned"))
        let mine = try WaltBinary.run(["image", "show"], personality: "walt", environment: ["HOME": alice.home.path])
        #expect(mine.stdout == again.stdout && mine.status == again.status, "ours: \(mine.stdout)\(mine.stderr)")
        let all = try alice.run(["image", "show", "--all"])
        #expect(all.stdout.contains("The following are default OS images:"), "\(all.stdout)")
        #expect(all.stdout.contains("walt:waltplatform/\(Self.model)-default"))

        // Clone from an OCI archive, deploy it: the new image is mounted and linked, the
        // old one stays until its grace time (2 s here) is over.
        let cloned = try alice.run(["image", "clone", "oci-archive:\(second)", "v2"])
        #expect(cloned.stdout == "Image \"v2\" was cloned successfully (cf. walt image show).\n", "\(cloned.stdout)\(cloned.stderr)")
        let deployed = try Self.pythonCall(alice, "server.set_image('node-123456', 'v2')")
        #expect(deployed.stdout == "Node node-123456 will now boot v2.\nTrue\n", "\(deployed.stdout)\(deployed.stderr)")
        let newVariant = try? String(contentsOfFile: "\(state)/nodes/\(Self.mac)/fs/etc/variant", encoding: .utf8)
        #expect(newVariant == "second")
        let newLink = try FileManager.default.destinationOfSymbolicLink(atPath: "\(state)/nodes/\(Self.mac)/fs")
        #expect(newLink != link)
        #expect(Self.eventually(20) { !Self.mounts(under: state).contains("\(state)/images/\(firstID)/fs") }, "\(daemon.log)")
        let laterExports = try String(contentsOfFile: "\(state)/exports/walt.exports", encoding: .utf8)
        #expect(!laterExports.contains(firstID))

        // Checks on names, images in use, links this server cannot reach.
        let removeInUse = try alice.run(["image", "remove", "v2"])
        #expect(removeInUse.stderr == "Sorry, cannot proceed because the image is in use.\n" && removeInUse.status == 1,
                "\(removeInUse.stderr)")
        let incompatible = try Self.pythonCall(alice, "server.set_image('node-123456', 'nope')")
        #expect(incompatible.stderr.contains("Error: No such image 'nope'. (tip: walt image show)"), "\(incompatible.stderr)")
        let missing = try alice.run(["image", "clone", "docker-archive:/nonexistent/x.tar"])
        #expect(missing.stderr.contains("no such archive file on the server"), "\(missing.stderr)")
        #expect(missing.status == 1)
        let hub = try alice.run(["image", "clone", "hub:someone/image"])
        #expect(hub.stderr.contains("reaches no image registry"), "\(hub.stderr)")
        let duplicate = try alice.run(["image", "duplicate", "v2", "v3"])
        #expect(duplicate.status == 0, "\(duplicate.stderr)")
        let renamed = try alice.run(["image", "rename", "v3", "v4"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let names = try alice.run(["image", "show", "--names-only"])
        #expect(names.stdout == "\(Self.model)-default\nv2\nv4\n", "\(names.stdout)")
        let badName = try alice.run(["image", "rename", "v4", "Bad_Name"])
        #expect(badName.stderr.hasPrefix("Bad name: expected format is <name> or <name>:<tag>."), "\(badName.stderr)")
        #expect(try alice.run(["image", "remove", "v4"]).status == 0)
        let bob = try PythonClient(server: daemon.address, username: "bob", in: daemon.stateDirectory)
        let bobClone = try bob.run(["image", "clone", "walt:alice/v2"])
        #expect(bobClone.stdout.contains("Image \"v2\" was cloned successfully"), "\(bobClone.stdout)\(bobClone.stderr)")
        let search = try bob.run(["image", "search", "alice"])
        #expect(search.stdout.contains("walt:alice/v2"), "\(search.stdout)\(search.stderr)")

        // Going down: every image mount goes.
        daemon.stop(keepState: true)
        stopped = true
        #expect(Self.mounts(under: state).isEmpty, "\(Self.mounts(under: state))")
        #expect(Self.mounts(under: fixtures.directory.path).isEmpty, "\(Self.mounts(under: fixtures.directory.path))")
        DaemonHarness.unmountAll(under: state)
        try? FileManager.default.removeItem(atPath: state)
    }
}
