import Testing
import WaltCommon

@Suite struct PersonalityTests {
    @Test func testResolve_usesBasenameOfArgv0() throws {
        #expect(try Personality.resolve(argv0: "/usr/local/bin/walt-dhcp-event", override: nil).get() == .dhcpEvent)
        #expect(try Personality.resolve(argv0: "walt", override: nil).get() == .client)
        #expect(try Personality.resolve(argv0: "./bin/walt-net-config", override: "").get() == .netConfig)
    }

    @Test func testResolve_overrideWins() throws {
        #expect(try Personality.resolve(argv0: "/x/walt", override: "walt-server-daemon").get() == .serverDaemon)
    }

    @Test func testResolve_unknownNames() {
        #expect(throws: UnknownPersonality(name: "walt-foo", fromOverride: false)) {
            try Personality.resolve(argv0: "/bin/walt-foo", override: nil).get()
        }
        #expect(throws: UnknownPersonality(name: "bogus", fromOverride: true)) {
            try Personality.resolve(argv0: "/bin/walt", override: "bogus").get()
        }
        // A trailing slash leaves an empty name, which is no personality either.
        #expect(throws: UnknownPersonality(name: "", fromOverride: false)) {
            try Personality.resolve(argv0: "/bin/walt/", override: nil).get()
        }
    }

    @Test func testUnknownPersonality_messageListsEveryName() {
        let text = UnknownPersonality(name: "x", fromOverride: false).description
        for personality in Personality.allCases {
            #expect(text.contains(personality.rawValue))
        }
        #expect(!text.contains("\n"))
    }
}

@Suite struct ToolArgumentsTests {
    @Test func testOptionsFlagsAndPositionals() throws {
        let parsed = try ToolArguments(
            ["--config", "/c", "--state-dir=/s", "up", "--force-name", "--", "--literal"],
            valued: ["--config", "--state-dir"], flags: ["--force-name"])
        #expect(parsed.options == ["--config": "/c", "--state-dir": "/s"])
        #expect(parsed.flags == ["--force-name"])
        #expect(parsed.positionals == ["up", "--literal"])
        #expect(!parsed.wantsHelp)
    }

    @Test func testHelp() throws {
        #expect(try ToolArguments(["-h"]).wantsHelp)
        #expect(try ToolArguments(["x", "--help"]).wantsHelp)
    }

    @Test func testErrorsNameTheArgument() {
        #expect(throws: ToolArguments.UsageError(message: "unknown option '--nope'")) {
            try ToolArguments(["--nope"])
        }
        #expect(throws: ToolArguments.UsageError(message: "option --config needs a value")) {
            try ToolArguments(["--config"], valued: ["--config"])
        }
        #expect(throws: ToolArguments.UsageError(message: "unknown option '--force-name=1'")) {
            try ToolArguments(["--force-name=1"], flags: ["--force-name"])
        }
    }

    @Test func testEmptyStringsAreKeptAsPositionals() throws {
        // dhcpd passes "" for missing options; they must survive as positionals.
        #expect(try ToolArguments(["commit", "", "x"]).positionals == ["commit", "", "x"])
    }
}
