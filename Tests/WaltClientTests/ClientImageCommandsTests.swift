import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// The `walt image` commands made of RPC calls, through the built binary against a
/// scripted server: calls and arguments, what upstream's client prints, exit statuses.
@Suite(.serialized) struct ClientImageCommandsTests {
    typealias Call = FakeWaltServer.Call

    @Test func testShow_passesTheSwitches_andRefusesAllWithNamesOnly() throws {
        let server = try FakeWaltServer(answer: { call in
            call.path == "show_images" ? "the table" : PyValue.none
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let plain = try WaltProcess.run(["image", "show"], home: home)
        #expect(plain.status == 0)
        #expect(plain.stdout == "the table\n")
        let refreshed = try WaltProcess.run(["image", "show", "--all", "--refresh"], home: home)
        #expect(refreshed.status == 0)
        let both = try WaltProcess.run(["image", "show", "--all", "--names-only"], home: home)
        #expect(both.status == 1)
        #expect(both.stdout == "Sorry, but options --names-only and --all are mutually exclusive.\n")
        #expect(server.calls == [
            .init(path: "show_images", args: [],
                  kwargs: [("username", "alice"), ("show_all", false), ("names_only", false), ("refresh", false)]),
            .init(path: "show_images", args: [],
                  kwargs: [("username", "alice"), ("show_all", true), ("names_only", false), ("refresh", true)]),
        ])
    }

    @Test func testSearch_keywordOrNone() throws {
        let server = try FakeWaltServer(answer: { _ in PyValue.none })
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["image", "search"], home: home).status == 0)
        #expect(try WaltProcess.run(["image", "search", "rpi"], home: home).status == 0)
        #expect(server.calls == [
            .init(path: "search_images", args: [PyValue.none], kwargs: []),
            .init(path: "search_images", args: ["rpi"], kwargs: []),
        ])
    }

    @Test func testClone_successMessage_failureExit1() throws {
        let server = try FakeWaltServer(answer: { call in
            guard call.path == "clone_image" else { return PyValue.none }
            return call.args == ["hub:bob/good"] ? .dict([("status", "OK"), ("image_name", "good")]) : .dict([("status", "FAILED")])
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let cloned = try WaltProcess.run(["image", "clone", "hub:bob/good"], home: home)
        #expect(cloned.status == 0)
        #expect(cloned.stdout == "Image \"good\" was cloned successfully (cf. walt image show).\n")
        let failed = try WaltProcess.run(["image", "clone", "--force", "walt:bob/bad", "mine"], home: home)
        #expect(failed.status == 1)
        #expect(failed.stdout == "")
        #expect(server.calls == [
            .init(path: "clone_image", args: ["hub:bob/good"], kwargs: Self.cloneArguments(force: false, name: .none)),
            .init(path: "clone_image", args: ["walt:bob/bad"], kwargs: Self.cloneArguments(force: true, name: "mine")),
        ])
    }

    static func cloneArguments(force: Bool, name: PyValue) -> [(key: PyValue, value: PyValue)] {
        [("force", .bool(force)), ("image_name", name)]
    }

    @Test func testRemoveRenameDuplicate_returnTheServersAnswer() throws {
        let server = try FakeWaltServer(answer: { call in
            .bool(call.args.first == "ok")
        })
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["image", "remove", "ok"], home: home).status == 0)
        #expect(try WaltProcess.run(["image", "remove", "ko"], home: home).status == 1)
        #expect(try WaltProcess.run(["image", "rename", "ok", "new"], home: home).status == 0)
        #expect(try WaltProcess.run(["image", "duplicate", "ko", "new"], home: home).status == 1)
        #expect(server.calls == [
            .init(path: "remove_image", args: ["ok"], kwargs: []),
            .init(path: "remove_image", args: ["ko"], kwargs: []),
            .init(path: "rename_image", args: ["ok", "new"], kwargs: []),
            .init(path: "duplicate_image", args: ["ko", "new"], kwargs: []),
        ])
    }

    @Test func testSquash_confirmYesNo() throws {
        let server = try FakeWaltServer(answer: { call in
            call.path == "squash_image" && call.args.last == false ? "NEEDS_CONFIRM" : "OK"
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let declined = try WaltProcess.run(["image", "squash", "img"], home: home, stdin: "n\n")
        #expect(declined.status == 0)
        #expect(declined.stdout == "Are you sure? (y/n): Aborted.\n")
        let confirmed = try WaltProcess.run(["image", "squash", "img"], home: home, stdin: "maybe\ny\n")
        #expect(confirmed.status == 0)
        #expect(confirmed.stdout == "Are you sure? (y/n): Invalid response.\nAre you sure? (y/n): OK.\n\n")
        #expect(server.calls == [
            .init(path: "squash_image", args: ["img", false], kwargs: []),
            .init(path: "squash_image", args: ["img", false], kwargs: []),
            .init(path: "squash_image", args: ["img", true], kwargs: []),
        ])
    }

    static func publishServer(_ registries: [(String, String)]) throws -> FakeWaltServer {
        let list = PyValue.list(registries.map { .tuple([.str($0.0), .str($0.1)]) })
        return try FakeWaltServer(answer: { call in
            switch call.path {
            case "get_registries": return list
            case "publish_image": return .tuple([true, .str("https://hub.example/" + (call.args.last?.stringValue ?? ""))])
            default: return PyValue.none
            }
        })
    }

    @Test func testPublish_noRegistry_oneRegistryAuto() throws {
        let none = try Self.publishServer([])
        defer { none.stop() }
        let nothing = try WaltProcess.run(["image", "publish", "img"], home: try none.makeHome())
        #expect(nothing.status == 1)
        #expect(nothing.stdout == "Sorry, no image registry is configured on this platform.\n")
        #expect(none.callPaths == ["get_registries"])

        let one = try Self.publishServer([("hub", "Docker Hub")])
        defer { one.stop() }
        let published = try WaltProcess.run(["image", "publish", "img"], home: try one.makeHome())
        #expect(published.status == 0)
        #expect(published.stdout == "OK, image was published at:\nhttps://hub.example/img\n")
        #expect(one.calls.last == .init(path: "publish_image", args: ["hub", "img"], kwargs: []))
    }

    @Test func testPublish_severalRegistries_needTheSwitch_andAValidLabel() throws {
        let server = try Self.publishServer([("hub", "Docker Hub"), ("lab", "our own registry")])
        defer { server.stop() }
        let home = try server.makeHome()
        let table = "Registry  Description     \n--------  ----------------\nhub       Docker Hub      \nlab       our own registry"
        let auto = try WaltProcess.run(["image", "publish", "img"], home: home)
        #expect(auto.status == 1)
        #expect(auto.stdout == "Several image registries are configured on this platform:\n\n\(table)\n\n"
            + "Please specify the target registry by using option '--registry'.\n")
        let invalid = try WaltProcess.run(["image", "publish", "--registry", "nope", "img"], home: home)
        #expect(invalid.status == 1)
        #expect(invalid.stdout == "Invalid registry 'nope'.\nThe following registries are available:\n\n\(table)\n")
        let chosen = try WaltProcess.run(["image", "publish", "--registry", "lab", "img"], home: home)
        #expect(chosen.status == 0)
        #expect(server.callPaths == ["get_registries", "get_registries", "get_registries", "publish_image"])
        #expect(server.calls.last?.args == ["lab", "img"])
    }

    @Test func testPublish_refusedExit1() throws {
        let server = try FakeWaltServer(answer: { call in
            call.path == "get_registries" ? .list([.tuple(["hub", "Docker Hub"])]) : .tuple([false, PyValue.none])
        })
        defer { server.stop() }
        let outcome = try WaltProcess.run(["image", "publish", "img"], home: try server.makeHome())
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "")
    }

    @Test func testLibrary_imageCallsAndBoot() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "show_images": return call.kwargs[2].value == true ? "a\nb" : "table"
            case "clone_image": return call.args == ["hub:bob/x"] ? .dict([("status", "OK"), ("image_name", "x")]) : .dict([("status", "FAILED")])
            case "remove_image": return false
            case "set_image": return true
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let session = try WaltSession(server: server.address, username: "alice")
        #expect(try session.imageTable() == "table")
        #expect(try session.imageNames() == ["a", "b"])
        #expect(try session.cloneImage("hub:bob/x") == "x")
        #expect(throws: WaltAPIError.self) { try session.cloneImage("hub:bob/y", force: true, as: "y") }
        #expect(throws: WaltAPIError.self) { try session.removeImage("x") }
        try session.boot("n1,n2", image: "x")
        try session.release("n1")
        #expect(Array(server.calls.suffix(4)) == [
            .init(path: "set_image", args: ["n1,n2", "x"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1,n2"], kwargs: [("cause", "image change")]),
            .init(path: "set_image", args: ["n1", "default"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1"], kwargs: [("cause", "release")]),
        ])
        #expect(server.calls[3] == .init(path: "clone_image", args: ["hub:bob/y"], kwargs: [("force", true), ("image_name", "y")]))
    }

    @Test func testColumnate_matchesUpstream() {
        #expect(PlainColumnate.table([["a", "bb"]], header: ["x_y", "z"]) == "x y  z \n---  --\na    bb")
        #expect(PlainColumnate.table([], header: ["a"]) == "")
        #expect(PlainColumnate.length("\u{1B}[1mbold\u{1B}[0m") == 4)
    }
}
