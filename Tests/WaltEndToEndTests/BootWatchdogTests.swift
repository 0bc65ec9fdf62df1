import Foundation
import Testing

/// The boot watchdog on a running daemon: registered nodes that never boot are hard-rebooted
/// once their `boot.timeout` passes, with upstream's platform log lines; `boot.timeout=none`
/// turns it off. (The hard reboot itself fails until PoE exists, as on a server without it.)
@Suite(.serialized) struct BootWatchdogTests {
    @Test func testNodesThatNeverBoot_areHardRebootedAfterTheirTimeout() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let home = daemon.stateDirectory.appendingPathComponent("home-alice")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".walt"), withIntermediateDirectories: true)
        try "walt:\n    server: \(daemon.address)\n    username: alice\n"
            .write(to: home.appendingPathComponent(".walt/config"), atomically: true, encoding: .utf8)
        func walt(_ arguments: [String]) throws -> WaltBinary.Outcome {
            try WaltBinary.run(arguments, personality: "walt", environment: ["HOME": home.path])
        }
        for (index, mac) in ["b8:27:eb:00:00:01", "b8:27:eb:00:00:02", "b8:27:eb:00:00:03"].enumerated() {
            let lease = ["commit", "walt.node.rpi-3-b", "", "192.168.152.\(10 + index)", mac, "", "0", "unknown"]
            #expect(try daemon.dhcpEvent(lease).status == 0)
        }
        // The smallest timeout the settings accept; retries 1 makes the first try the last.
        for change in [["node-000001", "boot.timeout=60"], ["node-000002", "boot.timeout=60", "boot.retries=1"],
                       ["node-000003", "boot.timeout=none"]] {
            let outcome = try walt(["node", "config"] + change)
            #expect(outcome.status == 0, "\(change): \(outcome.stderr)")
        }
        let expected = ["node-000001: boot timeout reached, trying hard-reboot (8 retries left).",
                        "node-000002: boot timeout reached, trying hard-reboot (last try)."]
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            let history = try walt(["log", "show", "--platform", "--history", "full", "--format", "{line}"]).stdout
            lines = history.split(separator: "\n").map(String.init).filter { $0.contains("boot timeout") }
            if expected.allSatisfy(lines.contains) { break }
            sleep(2)
        }
        #expect(expected.allSatisfy(lines.contains), "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("node-000003") })
        #expect(lines.count == 2, "one try each within the first timeout: \(lines)")
    }
}
