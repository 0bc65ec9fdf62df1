import Foundation
import Testing

/// Image sessions on real podman (a private store per test): `walt image cp` both ways
/// with our client and the Python client 10.0, `walt image shell` on a pty (save under a
/// new name, overwrite after confirmation), a busy image refused, containers removed when
/// the client leaves, `walt image build --from-dir` from a local image, and squash.
@Suite(.serialized) struct ImageSessionTests {
    typealias Fixtures = ImageStoreTests.Fixtures

    /// podman on the daemon's store.
    static func daemonPodman(_ fixtures: Fixtures, _ arguments: [String]) throws -> WaltBinary.Outcome {
        try WaltBinary.run(["--root", fixtures.directory.path + "/daemon-root", "--runroot", fixtures.directory.path + "/daemon-run"]
                           + arguments, executable: "/usr/bin/podman",
                           environment: ["CONTAINERS_CONF": fixtures.directory.path + "/containers.conf"], timeout: 60)
    }

    static func containers(_ fixtures: Fixtures) throws -> [String] {
        try daemonPodman(fixtures, ["ps", "-a", "--format", "{{.Names}}"]).stdout.split(separator: "\n").map(String.init)
    }

    /// Runs an expect script (our `walt` as `walt`) with alice's HOME.
    static func expect(_ fixtures: Fixtures, home: URL, _ script: String) throws -> WaltBinary.Outcome {
        let file = fixtures.directory.appendingPathComponent("session-\(UUID().uuidString.prefix(6)).exp")
        try ("set timeout 30\n" + script + "\n").write(to: file, atomically: true, encoding: .utf8)
        return try WaltBinary.run(["-f", file.path], executable: "/usr/bin/expect",
                                  environment: ["HOME": home.path, "WALT_PERSONALITY": "walt", "TERM": "xterm"], timeout: 90)
    }

    static func tree(_ root: URL) -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            let relative = String(url.path.dropFirst(root.path.count))
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            files[relative] = isDirectory.boolValue ? "<dir>" : ((try? String(contentsOf: url, encoding: .utf8)) ?? "<binary>")
        }
        return files
    }

    @Test func testImageCopyShellBuildSquash() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/podman"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/expect") else { return }
        let fixtures = try Fixtures()
        let archive = try fixtures.archive("base", models: ImageStoreTests.model, variant: "base", isDefault: false)
        let daemon = try DaemonHarness(serverConf: ImageStoreTests.serverConf(fixtures))
        defer {
            _ = try? Self.daemonPodman(fixtures, ["rm", "-fa"])
            daemon.stop()
            fixtures.remove()
        }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        let walt = { (arguments: [String]) throws -> WaltBinary.Outcome in
            try WaltBinary.run(arguments, personality: "walt", environment: ["HOME": alice.home.path], timeout: 90)
        }
        let cloned = try alice.run(["image", "clone", "docker-archive:\(archive)", "base"])
        #expect(cloned.status == 0, "\(cloned)")

        // cp: a directory into the image and back out, identical, with both clients.
        let local = fixtures.directory.appendingPathComponent("local")
        let source = local.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: source.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "one\n".write(to: source.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "two\n".write(to: source.appendingPathComponent("sub/b.txt"), atomically: true, encoding: .utf8)
        for (name, run) in [("ours", walt), ("python", alice.run)] {
            let put = try run(["image", "cp", source.path, "base:/etc/tree-\(name)"])
            #expect(put.status == 0 && put.stdout.contains("Image base updated."), "\(name): \(put)")
            let back = local.appendingPathComponent("back-\(name)")
            try FileManager.default.createDirectory(at: back, withIntermediateDirectories: true)
            let get = try run(["image", "cp", "base:/etc/tree-\(name)", back.path])
            #expect(get.status == 0, "\(name): \(get)")
            #expect(Self.tree(back.appendingPathComponent("tree-\(name)")) == Self.tree(source), "\(name)")
            let missing = try run(["image", "cp", "base:/no/such", back.path])
            #expect(missing.stderr.contains("No such file or directory: /no/such"), "\(name): \(missing)")
        }
        #expect(ImageStoreTests.eventually(10) { (try? Self.containers(fixtures))?.isEmpty == true }, "containers left")

        // shell on a pty: a file made there is in the image saved under a new name.
        let shell = try Self.expect(fixtures, home: alice.home, """
            spawn \(WaltBinary.path) image shell base
            expect -re {# (\\x1b\\[6n)?$}
            send "echo made-in-shell > /etc/made; exit\\r"
            expect "New image name: "
            send "base2\\r"
            expect "New image base2 saved."
            expect eof
            """)
        #expect(shell.status == 0 && shell.stdout.contains("Note: this is a limited virtual environment"), "\(shell)")
        let made = try Self.daemonPodman(fixtures, ["run", "--rm", "docker.io/alice/base2:latest", "/bin/busybox", "cat", "/etc/made"])
        #expect(made.stdout == "made-in-shell\n", "\(made)")
        let config = try Self.daemonPodman(fixtures, ["image", "inspect", "--format", "{{json .Config.Entrypoint}} {{json .Config.Cmd}}",
                                                       "docker.io/alice/base:latest", "docker.io/alice/base2:latest"])
        #expect(config.stdout == "null [\"/bin/sh\"]\nnull [\"/bin/sh\"]\n", "configuration kept: \(config)")
        let labels = try Self.daemonPodman(fixtures, ["image", "inspect", "--format", "{{index .Labels \"walt.node.models\"}}",
                                                       "docker.io/alice/base2:latest"])
        #expect(labels.stdout == ImageStoreTests.model + "\n", "\(labels)")

        // overwrite: the default name needs a confirmation; an existing other name is refused.
        let overwrite = try Self.expect(fixtures, home: alice.home, """
            spawn \(WaltBinary.path) image shell base2
            expect -re {# (\\x1b\\[6n)?$}
            send "echo again > /etc/again; exit\\r"
            expect "New image name: "
            send "base\\r"
            expect "Bad name: Image already exists."
            expect "New image name: "
            send "\\r"
            expect "Selected: base2"
            expect "This operation would overwrite it."
            expect "(y/n)"
            send "y\\r"
            expect "Image base2 updated."
            expect eof
            """)
        #expect(overwrite.status == 0, "\(overwrite)")
        let again = try Self.daemonPodman(fixtures, ["run", "--rm", "docker.io/alice/base2:latest", "/bin/busybox", "cat", "/etc/again", "/etc/made"])
        #expect(again.stdout == "again\nmade-in-shell\n", "\(again)")

        // busy: a second session on an image held by a first is refused; leaving removes its container.
        let python = URL(fileURLWithPath: alice.executable).deletingLastPathComponent().appendingPathComponent("python").path
        let busy = try WaltBinary.run(["-c", """
            from walt.client.link import ClientToServerLink
            with ClientToServerLink() as first:
                print(repr(first.create_image_shell_session('base', 'shell session')[3]))
                with ClientToServerLink() as second:
                    print(repr(second.create_image_shell_session('base', 'file transfer')))
            """], executable: python, environment: ["HOME": alice.home.path])
        #expect(busy.stdout == "'base'\nNone\n", "\(busy)")
        #expect(busy.stderr.contains("Cannot open image base because a shell session is already running."), "\(busy)")

        // build from a directory, FROM an image of the user named without its user part.
        let context = fixtures.directory.appendingPathComponent("build")
        try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
        try "FROM base\nCOPY extra /etc/extra\nRUN echo built > /etc/built\n"
            .write(to: context.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        try "extra\n".write(to: context.appendingPathComponent("extra"), atomically: true, encoding: .utf8)
        for (name, run) in [("ours", walt), ("python", alice.run)] {
            let built = try run(["image", "build", "--from-dir", context.path, "built-\(name)"])
            #expect(built.status == 0 && built.stdout.contains("** Verifying the image"), "\(name): \(built)")
            let content = try Self.daemonPodman(fixtures, ["run", "--rm", "docker.io/alice/built-\(name):latest",
                                                           "/bin/busybox", "cat", "/etc/built", "/etc/extra"])
            #expect(content.stdout == "built\nextra\n", "\(name): \(content)")
        }
        try "FROM base\nRUN false\n".write(to: context.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        let failed = try walt(["image", "build", "--from-dir", context.path, "broken"])
        #expect(failed.status == 1 && failed.stderr.contains("Sorry, image build FAILED."), "\(failed)")
        let shown = try walt(["image", "show"])
        #expect(shown.stdout.contains("built-ours") && shown.stdout.contains("built-python") && !shown.stdout.contains("broken"),
                "\(shown)")

        // squash: one layer, content kept.
        let squashed = try walt(["image", "squash", "base2"])
        #expect(squashed.status == 0 && squashed.stdout.contains("Image was squashed successfully."), "\(squashed)")
        let layers = try Self.daemonPodman(fixtures, ["image", "inspect", "--format", "{{len .RootFS.Layers}}",
                                                       "docker.io/alice/base2:latest"])
        #expect(layers.stdout == "1\n", "\(layers)")

        #expect(ImageStoreTests.eventually(10) { (try? Self.containers(fixtures))?.isEmpty == true },
                "containers left: \((try? Self.containers(fixtures)) ?? [])")
    }
}
