import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// `walt advanced ...` through the built binary against a scripted server: upstream's
/// guards, calls, messages and exit statuses.
@Suite(.serialized) struct ClientAdvancedCommandsTests {
    static let warning = """
        This will make you own all images of user 'bob'. It is intended
        for maintenance only (i.e. if user 'bob' is no longer working with
        walt).
        If this is really what you want, run:
        walt advanced fix-image-owner --yes-i-know-do-it-please bob


        """

    @Test func testFixImageOwner_withoutTheSwitch_warnsWithoutAServerOrAConfig() throws {
        let home = URL(fileURLWithPath: "/tmp/wfs-none-\(UUID().uuidString.prefix(8))")   // no ~/.walt/config
        let outcome = try WaltProcess.run(["advanced", "fix-image-owner", "bob"], home: home)
        #expect(outcome.status == 0)
        #expect(outcome.stdout == Self.warning)
        #expect(outcome.stderr == "")
        #expect(!FileManager.default.fileExists(atPath: home.path), "no first-run setup on this path")
    }

    @Test func testFixImageOwner_withTheSwitch_callsTheServer() throws {
        let server = try FakeWaltServer(answer: { _ in PyValue.none })
        defer { server.stop() }
        let home = try server.makeHome()
        let warned = try WaltProcess.run(["advanced", "fix-image-owner", "bob"], home: home)
        #expect(warned.stdout == Self.warning)
        #expect(server.calls.isEmpty)
        let done = try WaltProcess.run(["advanced", "fix-image-owner", "--yes-i-know-do-it-please", "bob"], home: home)
        #expect(done.status == 0)
        #expect(done.stdout == "" && done.stderr == "")
        #expect(server.calls == [.init(path: "fix_image_owner", args: ["bob"], kwargs: [])])
    }

    static func hubServer(registries: [String], result: PyValue) throws -> FakeWaltServer {
        let list = PyValue.list(registries.map { .tuple([.str($0), "some registry"]) })
        return try FakeWaltServer(answer: { call in
            call.path == "get_registries" ? list : result
        })
    }

    @Test func testUpdateHubMeta_needsTheHubRegistry() throws {
        let server = try Self.hubServer(registries: ["lab"], result: true)
        defer { server.stop() }
        let home = try server.makeHome()
        for command in ["update-hub-meta", "rescan-hub-account"] {
            let outcome = try WaltProcess.run(["advanced", command], home: home)
            #expect(outcome.status == 1)
            #expect(outcome.stdout == "Sorry, cannot run this command because the docker hub registry was"
                + " disabled on this platform.\n")
        }
        #expect(server.callPaths == ["get_registries", "get_registries"])
    }

    @Test func testUpdateHubMeta_andItsAlias_passTheSwitch_andExitWithTheResult() throws {
        let server = try Self.hubServer(registries: ["lab", "hub"], result: true)
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["advanced", "update-hub-meta"], home: home).status == 0)
        #expect(try WaltProcess.run(["advanced", "rescan-hub-account", "--waltplatform-user"], home: home).status == 0)
        #expect(server.calls == [
            .init(path: "get_registries", args: [], kwargs: []),
            .init(path: "update_hub_metadata", args: [false], kwargs: []),
            .init(path: "get_registries", args: [], kwargs: []),
            .init(path: "update_hub_metadata", args: [true], kwargs: []),
        ])
        let failing = try Self.hubServer(registries: ["hub"], result: false)
        defer { failing.stop() }
        let failed = try WaltProcess.run(["advanced", "update-hub-meta"], home: try failing.makeHome())
        #expect(failed.status == 1)
        #expect(failed.stdout == "")
    }

    @Test func testUpdateDefaultImages_exitsWithTheResult() throws {
        let succeeding = try FakeWaltServer(answer: { _ in true })
        defer { succeeding.stop() }
        #expect(try WaltProcess.run(["advanced", "update-default-images"], home: try succeeding.makeHome()).status == 0)
        #expect(succeeding.calls == [.init(path: "update_default_images", args: [], kwargs: [])])
        let failing = try FakeWaltServer(answer: { _ in false })
        defer { failing.stop() }
        #expect(try WaltProcess.run(["advanced", "update-default-images"], home: try failing.makeHome()).status == 1)
    }

    @Test func testSQL_printsTheTip_thenRelaysAPromptStream() throws {
        let seen = Recorder<(StreamRequest?, PyValue?, [UInt8])>()
        let server = try FakeWaltServer(answer: { _ in PyValue.none }) { stream in
            let request = stream.readRequest()
            stream.send("READY\n")
            let parameters = stream.readPickle()
            stream.send("walt=# ")
            let input = stream.readToEOF()
            seen.add((request, parameters, input))
            stream.send("bye\n")
        }
        defer { server.stop() }
        let outcome = try WaltProcess.run(["advanced", "sql"], home: try server.makeHome(), stdin: "\\dt\n")
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        #expect(outcome.stdout == "Type \\dt for a list of tables.\n\nwalt=# bye\n")
        #expect(server.calls.isEmpty)
        let recorded = seen.values
        try #require(recorded.count == 1)
        #expect(recorded[0].0 == .sqlPrompt)
        #expect(recorded[0].1 == .dict([("tty_mode", false)]))
        #expect(recorded[0].2 == Array("\\dt\n".utf8))
    }
}
