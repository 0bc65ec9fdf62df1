import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// `walt device tree|rescan|port-config|forget` through the built binary against a
/// scripted server: calls and arguments, what is printed, exit statuses.
@Suite(.serialized) struct ClientDeviceCommandsTests {
    typealias Call = FakeWaltServer.Call

    @Test func testTree_printsTheServersDrawing_allSwitch() throws {
        let server = try FakeWaltServer(answer: { call in
            call.args == [true] ? "-- sw --\n└─1: <? unknown ?>" : "-- sw --\n└─1: n1"
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let plain = try WaltProcess.run(["device", "tree"], home: home)
        #expect(plain.status == 0)
        #expect(plain.stdout == "-- sw --\n└─1: n1\n")
        let all = try WaltProcess.run(["device", "tree", "--all"], home: home)
        #expect(all.stdout == "-- sw --\n└─1: <? unknown ?>\n")
        #expect(server.calls == [.init(path: "device_tree", args: [false], kwargs: []),
                                 .init(path: "device_tree", args: [true], kwargs: [])])
    }

    @Test func testRescan_defaultSetAndGivenSet() throws {
        let server = try FakeWaltServer(answer: { _ in PyValue.none })
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["device", "rescan"], home: home).status == 0)
        #expect(try WaltProcess.run(["device", "rescan", "sw1"], home: home).status == 0)
        #expect(server.calls == [.init(path: "device_rescan", args: ["server,explorable-switches"], kwargs: []),
                                 .init(path: "device_rescan", args: ["sw1"], kwargs: [])])
    }

    @Test func testPortConfig_showsOrSets() throws {
        let server = try FakeWaltServer(answer: { _ in PyValue.none })
        defer { server.stop() }
        let home = try server.makeHome()
        #expect(try WaltProcess.run(["device", "port-config", "sw1"], home: home).status == 0)
        #expect(try WaltProcess.run(["device", "port-config", "sw1", "3"], home: home).status == 0)
        let set = try WaltProcess.run(["device", "port-config", "sw1", "3", "name=uplink"], home: home)
        #expect(set.status == 0 && set.stdout == "" && set.stderr == "")
        let usage = try WaltProcess.run(["device", "port-config", "sw1", "name=uplink"], home: home)
        #expect(usage.status == 2, "port_id is an int, as plumbum converts it")
        #expect(server.calls == [
            .init(path: "get_port_config", args: ["sw1", .none], kwargs: []),
            .init(path: "get_port_config", args: ["sw1", 3], kwargs: []),
            .init(path: "set_port_config", args: ["sw1", 3, .tuple(["name=uplink"])], kwargs: []),
        ])
    }

    static func forgetServer(info: PyValue, logs: Int) throws -> FakeWaltServer {
        try FakeWaltServer(answer: { call in
            switch call.path {
            case "get_device_info": return info
            case "count_logs": return .int(PyInt(logs))
            default: return true
            }
        })
    }

    static let countCall = Call(path: "count_logs", args: [], kwargs: [
        ("history", .tuple([.none, .none])), ("issuers", .tuple(["sw9"])), ("exclude_consoles", true),
    ])

    @Test func testForget_deviceWithLogs_describesThem_forceForgets() throws {
        let server = try Self.forgetServer(info: .dict([("type", "switch"), ("virtual", false)]), logs: 42)
        defer { server.stop() }
        let home = try server.makeHome()
        let described = try WaltProcess.run(["device", "forget", "sw9"], home: home)
        #expect(described.status == 0)
        #expect(described.stdout == "This would delete any information about sw9, including 42 log lines.\n"
            + "If this is what you want, run 'walt device forget --force sw9'.\n")
        let forced = try WaltProcess.run(["device", "forget", "--force", "sw9"], home: home)
        #expect(forced.status == 0)
        #expect(forced.stdout == "done.\n")
        #expect(server.calls == [
            .init(path: "get_device_info", args: ["sw9"], kwargs: []), Self.countCall,
            .init(path: "get_device_info", args: ["sw9"], kwargs: []), .init(path: "forget", args: ["sw9"], kwargs: []),
        ])
    }

    @Test func testForget_withoutLogs_forgets() throws {
        let server = try Self.forgetServer(info: .dict([("type", "node"), ("virtual", false)]), logs: 0)
        defer { server.stop() }
        let outcome = try WaltProcess.run(["device", "forget", "sw9"], home: try server.makeHome())
        #expect(outcome.status == 0)
        #expect(outcome.stdout == "done.\n")
        #expect(server.calls == [.init(path: "get_device_info", args: ["sw9"], kwargs: []), Self.countCall,
                                 .init(path: "forget", args: ["sw9"], kwargs: [])])
    }

    @Test func testForget_virtualNode_andUnknownDevice_stop() throws {
        let virtual = try Self.forgetServer(info: .dict([("type", "node"), ("virtual", true)]), logs: 0)
        defer { virtual.stop() }
        let refused = try WaltProcess.run(["device", "forget", "--force", "vn1"], home: try virtual.makeHome())
        #expect(refused.status == 0)
        #expect(refused.stdout == "vn1 is a virtual node. Use 'walt node remove vn1' instead.\n")
        #expect(virtual.callPaths == ["get_device_info"])
        let unknown = try Self.forgetServer(info: .none, logs: 0)
        defer { unknown.stop() }
        let nothing = try WaltProcess.run(["device", "forget", "nope"], home: try unknown.makeHome())
        #expect(nothing.status == 0 && nothing.stdout == "" && nothing.stderr == "")
        #expect(unknown.callPaths == ["get_device_info"])
    }
}
