import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// The `walt image` commands that run a server-side session with a stream: `shell` (the
/// prompt stream, then the save loop, on pipes and on a real pty), `cp` both ways and
/// `build --from-dir`, against a scripted server.
@Suite(.serialized) struct ClientImageSessionTests {
    typealias Call = FakeWaltServer.Call
    static let session: PyValue = .tuple([42, "alice/img:latest", "walt-shell-img", "img"])

    /// A server whose image shell prints a line and ends; `saveAnswers` answer the
    /// successive `image_shell_session_save(..., name_confirmed=False)` calls.
    static func shellServer(saveAnswers: [String], parameters: Recorder<PyValue?>) throws -> FakeWaltServer {
        let saves = Recorder<Int>()
        return try FakeWaltServer(answer: { call in
            switch call.path {
            case "create_image_shell_session": return call.args.first == "img" ? Self.session : PyValue.none
            case "image_shell_session_save":
                if call.kwargs.first?.value == true { return "OK" }
                saves.add(0)
                let index = saves.values.count - 1
                return .str(index < saveAnswers.count ? saveAnswers[index] : "OK")
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .dockerPrompt else { return }
            stream.send("READY\n")
            parameters.add(stream.readPickle())
            stream.send("container$ exit\r\n")
        }
    }

    static func save(_ name: String, confirmed: Bool) -> Call {
        .init(path: "image_shell_session_save", args: ["alice", 42, .str(name)], kwargs: [("name_confirmed", .bool(confirmed))])
    }

    @Test func testShell_onPipes_sendsTheContainer_thenEndOfInputAborts() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.shellServer(saveAnswers: [], parameters: parameters)
        defer { server.stop() }
        let home = try server.makeHome()
        let outcome = try WaltProcess.run(["image", "shell", "img"], home: home)
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "container$ exit\r\n" + ImageShell.banner(defaultName: "img") + "New image name: Aborted.\n")
        #expect(parameters.values.first == .dict([
            ("image_fullname", "alice/img:latest"), ("container_name", "walt-shell-img"), ("tty_mode", false),
        ]))
        #expect(server.calls == [.init(path: "create_image_shell_session", args: ["img", "shell session"], kwargs: [])])
        let unknown = try WaltProcess.run(["image", "shell", "nope"], home: home)
        #expect(unknown.status == 0)
        #expect(parameters.values.count == 1)
    }

    @Test func testShell_onAPty_saveLoop_notOK_confirmDeclined_thenANewName() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.shellServer(saveAnswers: ["NAME_NOT_OK", "NAME_NEEDS_CONFIRM", "OK"], parameters: parameters)
        defer { server.stop() }
        let pty = try PtyProcess(["image", "shell", "img"], environment: PtySessionTests.environment(home: try server.makeHome()))
        #expect(pty.waitFor("New image name: "), "shown: \(pty.shownText)")
        pty.type("bad-\n")
        #expect(pty.waitUntil { pty.shownText.components(separatedBy: "New image name: ").count == 3 }, "shown: \(pty.shownText)")
        pty.type("\n")
        #expect(pty.waitFor("Are you sure? (y/n): "), "shown: \(pty.shownText)")
        pty.type("n\n")
        #expect(pty.waitUntil { pty.shownText.components(separatedBy: "New image name: ").count == 4 }, "shown: \(pty.shownText)")
        pty.type("other\n")
        #expect(pty.waitForExit() == 0)
        #expect(pty.shownText.contains("Selected: img\r\n"))
        #expect(pty.shownText.contains("Just press <enter> to reuse the name \"img\" and overwite the image."))
        #expect(parameters.values.first??["tty_mode"] == true)
        #expect(server.calls == [
            .init(path: "create_image_shell_session", args: ["img", "shell session"], kwargs: []),
            Self.save("bad-", confirmed: false), Self.save("img", confirmed: false), Self.save("other", confirmed: false),
        ])
    }

    @Test func testShell_onAPty_confirmedOverwrite_andCtrlCAborts() throws {
        let parameters = Recorder<PyValue?>()
        let server = try Self.shellServer(saveAnswers: ["NAME_NEEDS_CONFIRM"], parameters: parameters)
        defer { server.stop() }
        let home = try server.makeHome()
        let pty = try PtyProcess(["image", "shell", "img"], environment: PtySessionTests.environment(home: home))
        #expect(pty.waitFor("New image name: "), "shown: \(pty.shownText)")
        pty.type("\n")
        #expect(pty.waitFor("Are you sure? (y/n): "), "shown: \(pty.shownText)")
        pty.type("y\n")
        #expect(pty.waitFor("Are you sure? (y/n): y\r\nOK.\r\n\r\n"), "shown: \(pty.shownText)")
        #expect(pty.waitForExit() == 0)
        #expect(server.calls.suffix(2) == [Self.save("img", confirmed: false), Self.save("img", confirmed: true)])

        let interrupted = try PtyProcess(["image", "shell", "img"], environment: PtySessionTests.environment(home: home))
        #expect(interrupted.waitFor("New image name: "), "shown: \(interrupted.shownText)")
        interrupted.type("\u{03}")
        #expect(interrupted.waitFor("New image name: ^CAborted.\r\n"), "shown: \(interrupted.shownText)")
        #expect(interrupted.waitForExit() == 0)
        #expect(server.calls.count == 4)
    }

    static func validation(toImage: Bool, source: String, directory: String, name: String, status: String = "OK") -> PyValue {
        .dict([("client_operand_index", toImage ? 0 : 1), ("image_name", "img"), ("status", .str(status)), ("valid", true),
               ("dst_dir", .str(directory)), ("dst_name", .str(name)), ("src_path", .str(source))])
    }

    @Test func testCopyToImage_streamsOurTar_thenSavesUnderTheSameName() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try TarTests.makeTree(in: root)
        let received = Recorder<(PyValue?, [UInt8])>()
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_image_cp": return Self.validation(toImage: true, source: tree.path, directory: "/root", name: "copied")
            case "create_image_shell_session": return Self.session
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .tarToImage else { return }
            stream.send("READY\n")
            let parameters = stream.readPickle()
            received.add((parameters, stream.readToEOF()))
        }
        defer { server.stop() }
        let outcome = try WaltProcess.run(["image", "cp", tree.path, "img:/root/copied"], home: try server.makeHome())
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasSuffix("Transfering... done\n"))
        #expect(server.calls == [
            .init(path: "validate_image_cp", args: [.str(tree.path), "img:/root/copied"], kwargs: []),
            .init(path: "create_image_shell_session", args: ["img", "file transfer"], kwargs: []),
            .init(path: "image_shell_session_save", args: ["alice", 42, "img", true], kwargs: []),
        ])
        let (parameters, tar) = try #require(received.values.first)
        #expect(parameters == .dict([
            ("dst_dir", "/root"), ("dst_name", "copied"), ("src_path", .str(tree.path)), ("image_name", "img"),
            ("status", "OK"), ("valid", true), ("image_fullname", "alice/img:latest"), ("container_name", "walt-shell-img"),
        ]))
        #expect(tar == (try TarTests.archive(tree.path, as: "copied")))
    }

    @Test func testCopyFromImage_unpacksHere_noSave_andConfirmation() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try TarTests.makeTree(in: root)
        let (status, _) = try TarTests.run(["tar", "-cf", "image.tar", "--transform", "s,^src,copied,", "src"], in: root)
        #expect(status == 0)
        let imageTar = [UInt8](try Data(contentsOf: root.appendingPathComponent("image.tar")))
        let destination = root.appendingPathComponent("here")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_image_cp":
                return Self.validation(toImage: false, source: "/etc/x", directory: destination.path, name: "copied",
                                       status: "NEEDS_CONFIRM")
            case "create_image_shell_session": return Self.session
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .tarFromImage else { return }
            stream.send("READY\n")
            _ = stream.readPickle()
            stream.send(imageTar)
        }
        defer { server.stop() }
        let home = try server.makeHome()
        let declined = try WaltProcess.run(["image", "cp", "img:/etc/x", destination.path], home: home, stdin: "n\n")
        #expect(declined.status == 0)
        #expect(declined.stdout == "Are you sure? (y/n): Aborted.\n")
        #expect(server.callPaths == ["validate_image_cp"])
        let outcome = try WaltProcess.run(["image", "cp", "img:/etc/x", destination.path], home: home, stdin: "y\n")
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(try TarTests.listing(destination.appendingPathComponent("copied")) == TarTests.listing(tree))
        #expect(server.callPaths == ["validate_image_cp", "validate_image_cp", "create_image_shell_session"])
    }

    @Test func testCopy_failedValidationOrSession_exit0WithoutStream() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_image_cp":
                return call.args.first == "a" ? .dict([("status", "FAILED")]) : Self.validation(
                    toImage: true, source: "/tmp", directory: "/", name: "tmp")
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["image", "cp", "a", "img:/x"], home: home).status == 0)
        #expect(try WaltProcess.run(["image", "cp", "b", "img:/x"], home: home).status == 0)
        #expect(server.callPaths == ["validate_image_cp", "validate_image_cp", "create_image_shell_session"])
    }

    /// A build server: the session dict of upstream's `get_parameters()`, and a stream that
    /// records the parameters and the tar, then answers `replies`.
    static func buildServer(replies: [PyValue], received: Recorder<(PyValue?, [UInt8])>) throws -> FakeWaltServer {
        try FakeWaltServer(answer: { call in
            switch call.path {
            case "create_image_build_session":
                let mode = call.kwargs.first?.value ?? "dir"
                var pairs: [(key: PyValue, value: PyValue)] = [
                    ("image_fullname", "alice/built:latest"), ("image_overwrite", false), ("username", "alice"), ("mode", mode),
                ]
                pairs += call.kwargs.dropFirst(2)
                pairs.append(("session_id", 9))
                return .dict(pairs)
            case "run_image_build_from_url": return call.args == [9] ? true : false
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .tarForImageBuild else { return }
            stream.send("READY\n")
            let parameters = stream.readPickle()
            received.add((parameters, stream.readToEOF()))
            for reply in replies { stream.send(PickleEncoder.encode(reply)) }
        }
    }

    @Test func testBuildFromDir_sendsTheDirectoryAsTheArchiveRoot_printsTheBuildOutput() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let context = root.appendingPathComponent("ctx")
        try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
        try "FROM scratch\n".write(to: context.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        let received = Recorder<(PyValue?, [UInt8])>()
        let server = try Self.buildServer(replies: [
            .tuple(["stdout", .bytes(Array("STEP 1/1: FROM scratch\n".utf8))]),
            .tuple(["stderr", .bytes(Array("a warning\n".utf8))]),
            .tuple(["retcode", 0]),
        ], received: received)
        defer { server.stop() }
        let outcome = try WaltProcess.run(["image", "build", "--from-dir", context.path, "built"], home: try server.makeHome())
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "STEP 1/1: FROM scratch\n")
        #expect(outcome.stderr == "a warning\n")
        #expect(server.calls == [
            .init(path: "create_image_build_session", args: [],
                  kwargs: [("mode", "dir"), ("image_name", "built"), ("src_dir", .str(context.path))]),
            .init(path: "finalize_image_build_session", args: [9], kwargs: []),
        ])
        let (parameters, tar) = try #require(received.values.first)
        #expect(parameters == .dict([("image_fullname", "alice/built:latest"), ("username", "alice"), ("mode", "dir")]))
        try Data(tar).write(to: root.appendingPathComponent("sent.tar"))
        let (status, listing) = try TarTests.run(["tar", "-tPf", "sent.tar"], in: root)
        #expect(status == 0)
        #expect(listing == "/\nDockerfile\n")
    }

    @Test func testBuildFromDir_failedBuildPointsToHelp() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let received = Recorder<(PyValue?, [UInt8])>()
        let server = try Self.buildServer(replies: [.tuple(["stderr", .bytes(Array("no Dockerfile\n".utf8))]), .tuple(["retcode", 1])],
                                          received: received)
        defer { server.stop() }
        let outcome = try WaltProcess.run(["image", "build", "--from-dir", root.path, "built"], home: try server.makeHome())
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "no Dockerfile\n")
        #expect(outcome.stdout == "See 'walt help show image-build' for help.\n")
        #expect(!server.callPaths.contains("finalize_image_build_session"))
    }

    @Test func testBuildFromURL_andTheSwitchChecks() throws {
        let received = Recorder<(PyValue?, [UInt8])>()
        let server = try Self.buildServer(replies: [], received: received)
        defer { server.stop() }
        let home = try server.makeHome()
        let neither = try WaltProcess.run(["image", "build", "built"], home: home)
        #expect(neither.status == 0)
        #expect(neither.stdout == "You must specify 1 of the options --from-url and --from-dir.\n"
            + "See 'walt help show image-build' for more info.\n")
        let subDirectory = try WaltProcess.run(["image", "build", "--from-dir", "/tmp", "--sub-dir", "x", "built"], home: home)
        #expect(subDirectory.status == 0)
        #expect(subDirectory.stdout == "Option --sub-dir is only supported when combined with --from-url.\n")
        #expect(server.calls.isEmpty)
        let built = try WaltProcess.run(["image", "build", "--from-url", "https://git.example/r.git", "--sub-dir", "/a/b/",
                                         "built"], home: home)
        #expect(built.status == 0)
        #expect(server.calls == [
            .init(path: "create_image_build_session", args: [],
                  kwargs: [("mode", "url"), ("image_name", "built"), ("url", "https://git.example/r.git"), ("subdir", "a/b")]),
            .init(path: "run_image_build_from_url", args: [9], kwargs: []),
            .init(path: "finalize_image_build_session", args: [9], kwargs: []),
        ])
        #expect(received.values.isEmpty)
    }

    @Test func testBuildReplies_textCutInsideACharacter_strAndUnknownTags() {
        var carry = UTF8Carry()
        let bytes = Array("é€😀".utf8)
        #expect(carry.decode(Array(bytes[..<1])) == "")
        #expect(carry.decode(Array(bytes[1..<4])) == "é")
        #expect(carry.decode(Array(bytes[4...])) == "€😀")
        let output = Recorder<String>()
        let replies = TarTransfer.BuildReplies(writeOutput: output.add, writeError: { _ in })
        let stream = [PyValue.tuple(["stdout", "a str"]), .tuple(["other", 1]), .tuple(["retcode", 2])].flatMap(PickleEncoder.encode)
        #expect(replies.feed(Array(stream.prefix(5))))
        #expect(replies.feed(Array(stream.dropFirst(5))))
        #expect(output.values == ["a str\n"])
        #expect(!replies.succeeded)
        #expect(!replies.feed(Array("not a pickle".utf8)))
        #expect(TarWriter.join("", "Dockerfile") == "Dockerfile" && TarWriter.join("a/", "b") == "a/b" && TarWriter.join("a", "b") == "a/b")
        #expect(ImageBuild.strippingSlashes("//a/b//") == "a/b" && ImageBuild.strippingSlashes("/") == "")
    }
}
