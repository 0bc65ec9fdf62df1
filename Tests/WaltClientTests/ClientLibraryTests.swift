import Testing

@testable import WaltClient

/// The Swift client library against our daemon.
@Suite(.serialized) struct ClientLibraryTests {
    @Test func testSession_typedCallsAndErrors() throws {
        let daemon = try LibraryDaemon()
        defer { daemon.stop() }
        try daemon.registerNode(vci: "walt.node.rpi-3-b", ip: "192.168.183.7", mac: "b8:27:eb:12:34:56")
        let session = try WaltSession(server: daemon.address, username: "alice")
        let nodes = try session.nodes()
        #expect(nodes.map(\.name) == ["node-123456"])
        #expect(nodes.first?.isFree == true)
        #expect(nodes.first?.model == "rpi-3-b")
        #expect(try session.deviceTable().contains("walt-server"))
        #expect(try session.device("walt-server").type == "server")
        #expect(try session.serverTime() > 1_000_000_000)
        try session.addCheckpoint("lib")
        #expect(try session.checkpointTime("lib") > 1_000_000_000)
        #expect(throws: WaltAPIError.self) { try session.addCheckpoint("lib") }
        do {
            try session.addCheckpoint("lib")
        } catch {
            #expect(error.message.contains("already exists"), "\(error)")
            #expect(error.status == 1)
        }
        try session.removeCheckpoint("lib")
        #expect(throws: WaltAPIError.self) { _ = try session.nodes("no-such-node") }
    }

    @Test func testSession_daemonDown() {
        #expect(throws: WaltAPIError.self) { _ = try WaltSession(server: "127.9.8.5", username: "alice") }
    }
}
