import Foundation
import Testing

/// The one binary answers to five names, through symlinks and through WALT_PERSONALITY.
@Suite struct DispatchTests {
    static let personalities = [
        "walt", "walt-server-daemon", "walt-dhcp-event", "walt-server-lldpd", "walt-net-config",
    ]

    @Test(arguments: personalities)
    func testHelp_throughSymlink(name: String) throws {
        let dir = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent(name).path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WaltBinary.path)
        let outcome = try WaltBinary.run(["--help"], executable: link)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains(name == "walt" ? "WalT platform control tool" : "Usage: \(name)"))
    }

    @Test(arguments: personalities)
    func testHelp_throughEnvironment(name: String) throws {
        let viaEnv = try WaltBinary.run(["--help"], personality: name)
        let dir = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent(name).path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WaltBinary.path)
        let viaLink = try WaltBinary.run(["--help"], executable: link)
        #expect(viaEnv.status == 0)
        #expect(viaEnv.stdout == viaLink.stdout)
    }

    @Test func testEnvironment_overridesProgramName() throws {
        let dir = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("walt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WaltBinary.path)
        let outcome = try WaltBinary.run(["--help"], personality: "walt-net-config", executable: link)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Usage: walt-net-config"))
    }

    @Test func testUnknownName_listsPersonalitiesAndExits1() throws {
        let dir = try WaltBinary.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("walt-frobnicate").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WaltBinary.path)
        let outcome = try WaltBinary.run(["--help"], executable: link)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("'walt-frobnicate'"))
        for name in Self.personalities {
            #expect(outcome.stderr.contains(name))
        }
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test func testUnknownOverride_isNamedInTheError() throws {
        let outcome = try WaltBinary.run([], personality: "nope")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("WALT_PERSONALITY=nope"))
    }

    @Test(arguments: ["walt-server-daemon", "walt-dhcp-event", "walt-server-lldpd", "walt-net-config"])
    func testUnknownOption_isAUsageError(name: String) throws {
        let outcome = try WaltBinary.run(["--no-such-option"], personality: name)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "\(name): unknown option '--no-such-option' (see '\(name) --help')\n")
    }
}
