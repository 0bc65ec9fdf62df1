import Testing
import WaltCommon

@testable import WaltClient

/// The library's device-settings calls against our daemon.
@Suite(.serialized) struct ClientLibraryConfigTests {
    @Test func testSession_deviceConfigRoundTrip() throws {
        let daemon = try LibraryDaemon()
        defer { daemon.stop() }
        try daemon.registerNode(vci: "walt.node.rpi-3-b", ip: "192.168.152.7", mac: "b8:27:eb:12:34:56")
        let session = try WaltSession(server: daemon.address, username: "alice")

        let before = try session.deviceConfig("node-123456")
        #expect(before.map(\.name) == ["node-123456"])
        #expect(before.first?.category == "nodes")
        #expect(before.first?.settings == [
            "netsetup": 0, "expose": "none", "boot.retries": 9, "boot.timeout": 180, "kexec.allow": true,
            "mount.persist": true,
        ])
        #expect(try session.setDeviceConfig("node-123456", ["netsetup": "NAT", "boot.timeout": "none"])
                == "Done. Reboot node(s) to see new settings in effect.")
        let after = try #require(try session.deviceConfig("node-123456").first)
        #expect(after.settings["netsetup"] == 1)
        #expect(after.settings["boot.timeout"] == PyValue.none)

        do {
            try session.setDeviceConfig("node-123456", ["ram": "1G"])
            Issue.record("a virtual-node setting on a physical node was accepted")
        } catch {
            #expect(error.message == "Failed: Node node-123456 is not virtual, so 'ram' setting is not supported.")
        }
        let server = try session.deviceConfig("server")
        #expect(server.first?.category == "server" && server.first?.settings.isEmpty == true)
        do {
            _ = try session.deviceConfig("no-such-device")
            Issue.record("an unknown device had a config")
        } catch {
            #expect(error.message == "No device with name 'no-such-device' found.")
        }
    }
}
