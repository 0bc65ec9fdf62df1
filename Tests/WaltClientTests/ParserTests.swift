import Testing

@testable import WaltClient

/// plumbum's parsing rules, checked on the real command specs.
@Suite struct ParserTests {
    /// Parses and expects a command to run.
    private func invocation(_ argv: [String], sourceLocation: SourceLocation = #_sourceLocation) -> Invocation? {
        guard case .run(let invocation) = CommandLineParser.parse(argv) else {
            Issue.record("expected a command for \(argv), got \(CommandLineParser.parse(argv))", sourceLocation: sourceLocation)
            return nil
        }
        return invocation
    }

    /// Parses and expects a usage error; returns its message.
    private func usageError(_ argv: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard case .usageError(let error, _) = CommandLineParser.parse(argv) else {
            Issue.record("expected a usage error for \(argv)", sourceLocation: sourceLocation)
            return nil
        }
        return error.message
    }

    @Test func testSwitch_afterPositionals() {
        let parsed = invocation(["node", "reboot", "my-nodes", "--hard"])
        #expect(parsed?.flag("hard") == true)
        #expect(parsed?.positional("node_set") == .string("my-nodes"))
    }

    @Test func testValuedSwitch_equalsAndSeparateForms() {
        #expect(invocation(["node", "wait", "--timeout=30", "n1"])?.int("timeout") == 30)
        #expect(invocation(["node", "wait", "n1", "--timeout", "30"])?.int("timeout") == 30)
        #expect(invocation(["node", "wait", "n1", "--timeout=", "30"])?.int("timeout") == 30)
        #expect(invocation(["node", "wait", "n1", "--timeout", "=30"])?.int("timeout") == 30)
        #expect(invocation(["node", "wait", "n1"])?.int("timeout") == -1)
    }

    @Test func testSwitchValue_mayStartWithDash() {
        let parsed = invocation(["log", "show", "--history", "-5m:", "--realtime"])
        #expect(parsed?.string("history") == "-5m:")
        #expect(parsed?.flag("realtime") == true)
        #expect(invocation(["node", "wait", "--timeout", "-1", "n"])?.int("timeout") == -1)
    }

    @Test func testDoubleDash_endsSwitches() {
        let parsed = invocation(["node", "run", "n1", "--", "ls", "-l", "--help"])
        #expect(parsed?.extraArguments == [.string("ls"), .string("-l"), .string("--help")])
        #expect(usageError(["node", "run", "n1", "ls", "-l"]) == "Unknown switch -l")
    }

    @Test func testAliases_resolveToTheSameSwitch() {
        for name in ["--issuers", "--emitters", "--nodes"] {
            let parsed = invocation(["log", "show", name, "server", "--realtime"])
            #expect(parsed?.string("issuers") == "server")
            #expect(parsed?.switches.first?.typed == name)
        }
        #expect(invocation(["log", "show"])?.string("issuers") == "my-nodes")
        #expect(
            usageError(["log", "show", "--issuers", "a", "--nodes", "b"])
                == "Switch --issuers already given (--nodes is equivalent)")
        #expect(usageError(["node", "show", "--all", "--all"]) == "Switch --all already given")
    }

    @Test func testBadInt_isAUsageError() {
        #expect(
            usageError(["node", "wait", "--timeout", "soon", "n1"])
                == "Argument of timeout expected to be <class 'int'>, not 'soon':\n"
                + "    ValueError(\"invalid literal for int() with base 10: 'soon'\")")
        #expect(
            usageError(["node", "expose", "n1", "80", "http"])
                == "Argument of local_port expected to be <class 'int'>, not 'http':\n"
                + "    ValueError(\"invalid literal for int() with base 10: 'http'\")")
        #expect(invocation(["node", "expose", "n1", " 8_0 ", "+8080"])?.arguments == [.string("n1"), .int(80), .int(8080)])
        #expect(invocation(["device", "port-config", "sw1"])?.positional("port_id") == nil)
        #expect(invocation(["device", "port-config", "sw1", "3", "name=up"])?.positional("port_id") == .int(3))
    }

    @Test func testChoice_isCaseInsensitive() {
        #expect(invocation(["log", "wait", "--mode", "all", "x"])?.string("mode") == "all")
        #expect(invocation(["log", "wait", "--mode", "ALL", "x"])?.string("mode") == "all")
        #expect(invocation(["log", "wait", "x"])?.string("mode") == "ANY")
        #expect(
            usageError(["log", "wait", "--mode", "some", "x"])
                == "Argument of mode expected to be {ALL, ANY}, not 'some':\n"
                + "    ValueError(\"Invalid value: some (Expected one of ('ALL', 'ANY'))\")")
    }

    @Test func testExcludedSwitches() {
        #expect(
            usageError(["log", "show", "--platform", "--emitters", "x"])
                == "Given --platform, the following are invalid ['--emitters']")
        #expect(
            usageError(["log", "show", "--streams", "s", "--server", "--issuers", "x", "--realtime"])
                == "Given --server, the following are invalid ['--streams', '--issuers']")
        #expect(invocation(["log", "show", "--platform", "--realtime"]) != nil)
    }

    @Test func testPositionalCount() {
        #expect(usageError(["node", "shell"]) == "Expected at least 1 positional argument, got []")
        #expect(usageError(["node", "boot", "n1"]) == "Expected at least 2 positional arguments, got ['n1']")
        #expect(usageError(["node", "show", "x"]) == "Expected at most 0 positional arguments, got ['x']")
        #expect(usageError(["node", "shell", "a", "b"]) == "Expected at most 1 positional argument, got ['a', 'b']")
        #expect(invocation(["node", "blink", "n1"])?.positional("duration") == .string("60"))
        #expect(invocation(["node", "run", "n1"])?.extraArguments == [])
        #expect(invocation(["image", "search"])?.positional("keyword") == nil)
    }

    @Test func testUnknownAndMissingSwitchValue() {
        #expect(usageError(["node", "show", "--bogus"]) == "Unknown switch --bogus")
        #expect(usageError(["node", "show", "-x"]) == "Unknown switch -x")
        #expect(usageError(["node", "show", "-"]) == "Unknown switch -")
        #expect(usageError(["node", "wait", "n1", "--timeout"]) == "Switch --timeout requires an argument")
        #expect(usageError(["node", "wait", "n1", "--timeout="]) == "Switch --timeout requires an argument")
        #expect(usageError(["node", "show", "--names"]) == "Unknown switch --names")
        // a flag given a value leaves "=value" behind as a positional, as plumbum does
        #expect(usageError(["node", "show", "--all=yes"]) == "Expected at most 0 positional arguments, got ['=yes']")
        // bundled one-letter switches: -hx is -h then -x
        #expect(usageError(["node", "show", "-hx"]) == "Unknown switch -x")
        #expect(usageError(["node", "show", "-hh"]) == "Switch -h already given")
    }

    @Test func testHelp_anywhereButAfterDoubleDash() {
        let page = HelpPage.command(.node, NodeCommands.all[0])
        #expect(CommandLineParser.parse(["node", "show", "--help"]) == .help(page))
        #expect(CommandLineParser.parse(["node", "show", "extra", "-h"]) == .help(page))
        #expect(CommandLineParser.parse(["node", "show", "--h"]) == .help(page))
        #expect(CommandLineParser.parse(["node", "--help", "show"]) == .help(.category(.node)))
        #expect(CommandLineParser.parse(["-h", "node", "show"]) == .help(.root))
        #expect(CommandLineParser.parse(["--help"]) == .help(.root))
        // a bad switch before or after --help still wins: plumbum scans everything first
        #expect(CommandLineParser.parse(["node", "show", "--help", "--bogus"]) == .usageError(.unknownSwitch("--bogus"), page))
        #expect(CommandLineParser.parse(["node", "shell", "--", "-h"]).exitStatus == nil)
    }

    @Test func testSubcommandErrors() {
        #expect(CommandLineParser.parse([]) == .missingSubcommand(.root))
        #expect(CommandLineParser.parse(["node"]) == .missingSubcommand(.category(.node)))
        #expect(CommandLineParser.parse(["frob"]) == .unknownSubcommand("frob", .root))
        #expect(CommandLineParser.parse(["node", "frob", "show"]) == .unknownSubcommand("frob", .category(.node)))
        #expect(CommandLineParser.parse(["node", "--", "show"]) == .unknownSubcommand("show", .category(.node)))
        #expect(CommandLineParser.parse(["--version"]) == .usageError(.unknownSwitch("--version"), .root))
        #expect(CommandLineParser.parse(["node", "--all"]) == .usageError(.unknownSwitch("--all"), .category(.node)))
        #expect(CommandLineParser.parse(["node"]).exitStatus == 1)
        #expect(CommandLineParser.parse(["node", "show", "--bogus"]).exitStatus == 2)
    }

    @Test func testAliasCommands_shareTheirTargetsArguments() {
        #expect(invocation(["node", "deploy", "n1", "img"])?.command.name == "deploy")
        #expect(invocation(["advanced", "rescan-hub-account", "--waltplatform-user"])?.flag("waltplatform-user") == true)
    }
}
