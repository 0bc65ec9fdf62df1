import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// `walt node boot/deploy/release/acquire/save` through the built binary against a scripted
/// server: upstream's calls, arguments and order, the ownership modes and exit statuses.
@Suite(.serialized) struct ClientNodeBootTests {
    typealias Call = FakeWaltServer.Call

    static func ownership(owned: [String] = [], free: [String] = [], notOwned: [String] = [], notNodes: [String] = []) -> PyValue {
        .tuple([owned, free, notOwned, notNodes].map { .tuple($0.map(PyValue.str)) })
    }

    @Test func testBoot_developsTheSet_setsTheImage_rebootsWithItsCause() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "has_image": return true
            case "develop_node_set": return "n1,n2"
            case "filter_ownership": return Self.ownership(owned: ["n1"], free: ["n2"])
            case "set_image": return true
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        for command in ["boot", "deploy"] {
            let outcome = try WaltProcess.run(["node", command, "my-nodes", "img"], home: home)
            #expect(outcome.status == 0)
            #expect(outcome.stdout == "" && outcome.stderr == "")
        }
        let expected: [Call] = [
            .init(path: "has_image", args: ["img", true], kwargs: []),
            .init(path: "develop_node_set", args: ["my-nodes"], kwargs: []),
            .init(path: "filter_ownership", args: ["n1,n2"], kwargs: []),
            .init(path: "set_image", args: ["n1,n2", "img"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1,n2"], kwargs: [("cause", "image change")]),
        ]
        #expect(server.calls == expected + expected)
    }

    @Test func testBoot_stopsWhereTheServerSaidNo() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "has_image": return call.args.first == "img" ? true : false
            case "develop_node_set": return "n1"
            case "filter_ownership": return Self.ownership(notOwned: ["n1"])
            default: return false
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let unknown = try WaltProcess.run(["node", "boot", "n1", "nope"], home: home)
        #expect(unknown.status == 0)
        #expect(server.callPaths == ["has_image"])
        let declined = try WaltProcess.run(["node", "boot", "n1", "img"], home: home, stdin: "n\n")
        #expect(declined.status == 0)
        #expect(declined.stderr == "Warning: node n1 seems to be used by another user.\n")
        #expect(declined.stdout == "Are you sure? (y/n): Aborted.\n")
        let refused = try WaltProcess.run(["node", "boot", "n1", "img"], home: home, stdin: "y\n")
        #expect(refused.status == 0)
        #expect(refused.stdout == "Are you sure? (y/n): OK.\n\n")
        #expect(server.callPaths == ["has_image"] + ["has_image", "develop_node_set", "filter_ownership"]
            + ["has_image", "develop_node_set", "filter_ownership", "set_image"])
    }

    @Test func testRelease_bootsDefaultOnOwnedNodesOnly() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "develop_node_set": return call.args.first == "n1" ? "n1" : "n1,n2"
            case "filter_ownership": return call.args.first == "n1" ? Self.ownership(owned: ["n1"]) : Self.ownership(owned: ["n1"], free: ["n2"])
            default: return true
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let mixed = try WaltProcess.run(["node", "release", "n1,n2"], home: home)
        #expect(mixed.status == 0)
        #expect(mixed.stderr == "Error: node n2 is not yours. see `walt help show node-ownership`.\n")
        #expect(server.callPaths == ["has_image", "develop_node_set", "filter_ownership"])
        let released = try WaltProcess.run(["node", "release", "n1"], home: home)
        #expect(released.status == 0)
        #expect(Array(server.calls.suffix(5)) == [
            .init(path: "has_image", args: ["default", true], kwargs: []),
            .init(path: "develop_node_set", args: ["n1"], kwargs: []),
            .init(path: "filter_ownership", args: ["n1"], kwargs: []),
            .init(path: "set_image", args: ["n1", "default"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1"], kwargs: [("cause", "release")]),
        ])
    }

    @Test func testAcquire_clonesDefaultImages_setsThemPerImage_rebootsTheDevelopedSet() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "filter_ownership": return Self.ownership(free: ["n1", "n2", "n3"])
            case "get_clones_of_default_images":
                return .tuple([true, false, .dict([("n1", "rpi-b-default"), ("n2", "pc-x86-64-default"), ("n3", "rpi-b-default")])])
            case "develop_node_set": return "n1,n2,n3"
            case "set_image": return true
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "acquire", "free-nodes"], home: try server.makeHome())
        #expect(outcome.status == 0)
        #expect(server.calls == [
            .init(path: "filter_ownership", args: ["free-nodes"], kwargs: []),
            .init(path: "get_clones_of_default_images", args: ["free-nodes"], kwargs: []),
            .init(path: "develop_node_set", args: ["free-nodes"], kwargs: []),
            .init(path: "set_image", args: ["n1,n3", "rpi-b-default"], kwargs: []),
            .init(path: "set_image", args: ["n2", "pc-x86-64-default"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1,n2,n3"], kwargs: [("cause", "acquire")]),
        ])
    }

    @Test func testAcquire_failuresExit1() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "filter_ownership":
                switch call.args.first?.stringValue {
                case "mine": return Self.ownership(owned: ["n1"])
                case "theirs": return Self.ownership(notOwned: ["n4"])
                default: return Self.ownership(free: ["n2"])
                }
            case "get_clones_of_default_images":
                return call.args.first == "theirs" ? .tuple([false, false, .dict([])]) : .tuple([true, true, .dict([("n2", "x")])])
            case "develop_node_set": return "n2"
            default: return false   // set_image refused
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let mine = try WaltProcess.run(["node", "acquire", "mine"], home: home)
        #expect(mine.status == 1)
        #expect(mine.stderr == "Error: node n1 is already yours. see `walt help show node-ownership`.\n")
        let declined = try WaltProcess.run(["node", "acquire", "theirs"], home: home, stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stderr == "Warning: node n4 seems to be used by another user.\n")
        let invalid = try WaltProcess.run(["node", "acquire", "theirs"], home: home, stdin: "y\n")
        #expect(invalid.status == 1)
        let refused = try WaltProcess.run(["node", "acquire", "n2"], home: home)
        #expect(refused.status == 1)
        #expect(server.callPaths == ["filter_ownership", "filter_ownership", "filter_ownership", "get_clones_of_default_images",
                                     "filter_ownership", "get_clones_of_default_images", "develop_node_set", "set_image"])
    }

    @Test func testSave_buildSessionFromTheNodeDiff() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "filter_ownership": return Self.ownership(owned: ["n1"])
            case "create_image_build_session":
                let overwrite = call.kwargs.first { $0.key == "image_name" }?.value == "existing"
                return .dict([("image_fullname", "alice/x:latest"), ("image_overwrite", .bool(overwrite)),
                              ("mode", "node-diff"), ("node_name", "n1"), ("username", "alice"), ("session_id", 7)])
            case "run_image_build_from_node_diff": return call.args == [7] ? true : false
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let saved = try WaltProcess.run(["node", "save", "n1", "x"], home: home)
        #expect(saved.status == 0)
        #expect(server.calls == [
            .init(path: "filter_ownership", args: ["n1"], kwargs: []),
            .init(path: "create_image_build_session", args: [],
                  kwargs: [("mode", "node-diff"), ("node_name", "n1"), ("image_name", "x")]),
            .init(path: "run_image_build_from_node_diff", args: [7], kwargs: []),
            .init(path: "finalize_image_build_session", args: [7], kwargs: []),
        ])
        let declined = try WaltProcess.run(["node", "save", "n1", "existing"], home: home, stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stdout == "Are you sure? (y/n): Aborted.\n")
        #expect(server.callPaths.last == "create_image_build_session")
    }

    @Test func testSave_failedBuildPointsToHelp() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "filter_ownership": return Self.ownership(owned: ["n1"])
            case "create_image_build_session": return .dict([("image_overwrite", false), ("session_id", 1)])
            default: return false
            }
        })
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "save", "n1", "x"], home: try server.makeHome())
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "See 'walt help show node-save' for help.\n")
        #expect(!server.callPaths.contains("finalize_image_build_session"))
    }
}
