import Foundation
import Testing

/// The one binary answers to five names, through symlinks and through WALT_PERSONALITY.
@Suite struct DispatchTests {
    static let personalities = [
        "walt", "walt-server-daemon", "walt-dhcp-event", "walt-server-lldpd", "walt-net-config",
    ]

    /// A fresh directory holding `name` as a symlink to the binary under test.
    static func symlink(named name: String) throws -> (directory: URL, path: String) {
        let dir = try WaltBinary.makeTemporaryDirectory()
        let link = dir.appendingPathComponent(name).path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: WaltBinary.path)
        return (dir, link)
    }

    @Test(arguments: personalities)
    func testHelp_throughSymlink(name: String) throws {
        let (dir, link) = try Self.symlink(named: name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try WaltBinary.run(["--help"], executable: link)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout.contains(name == "walt" ? "WalT platform control tool" : "Usage: \(name)"))
    }

    @Test(arguments: personalities)
    func testHelp_throughEnvironment(name: String) throws {
        let viaEnv = try WaltBinary.run(["--help"], personality: name)
        let (dir, link) = try Self.symlink(named: name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let viaLink = try WaltBinary.run(["--help"], executable: link)
        #expect(viaEnv.status == 0)
        #expect(viaEnv.stdout == viaLink.stdout)
    }

    @Test func testEnvironment_overridesProgramName() throws {
        let (dir, link) = try Self.symlink(named: "walt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outcome = try WaltBinary.run(["--help"], personality: "walt-net-config", executable: link)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Usage: walt-net-config"))
    }

    @Test func testUnknownName_listsPersonalitiesAndExits1() throws {
        let (dir, link) = try Self.symlink(named: "walt-frobnicate")
        defer { try? FileManager.default.removeItem(at: dir) }
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

    @Test(arguments: ["walt-server-daemon", "walt-server-lldpd", "walt-net-config"])
    func testUnknownOption_isAUsageError(name: String) throws {
        let outcome = try WaltBinary.run(["--no-such-option"], personality: name)
        #expect(outcome.status == 2)
        #expect(outcome.stderr == "\(name): unknown option '--no-such-option' (see '\(name) --help')\n")
    }

    /// walt-dhcp-event reads dhcpd's arguments by position, as upstream: a first word other
    /// than "commit" is an event it ignores, and malformed leases are usage errors.
    @Test func testDHCPEvent_positionalArguments() throws {
        let other = try WaltBinary.run(["--no-such-option"], personality: "walt-dhcp-event")
        #expect(other.status == 0)
        #expect(other.stdout == "unexpected dhcp event: --no-such-option\n")
        let short = try WaltBinary.run(["commit", "a"], personality: "walt-dhcp-event")
        #expect(short.status == 2)
        #expect(short.stderr.hasPrefix("walt-dhcp-event: expected 7 values after \"commit\""))
        let badMAC = try WaltBinary.run(["commit", "", "", "10.0.0.1", "zz:00:00:00:00:00", "", "0", "unknown"],
                                        personality: "walt-dhcp-event")
        #expect(badMAC.status == 2)
        #expect(badMAC.stderr == "walt-dhcp-event: invalid MAC address 'zz:00:00:00:00:00' (see 'walt-dhcp-event --help')\n")
    }
}
