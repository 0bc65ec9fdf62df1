import Foundation
import Testing

/// Every help page of `walt`, and its usage errors, checked through the built binary
/// against golden files in `Fixtures/help/` (first line `# exit status: N`, then stdout).
///
/// Run with `WALT_RECORD=1` to rewrite the golden files from the current binary, then
/// review the diff. Pages are rendered at 80 columns (no terminal, `COLUMNS=80`), except
/// the `.wide` fixtures, rendered at 250 columns like WalT's own `test/syntax/*.out`.
@Suite struct ClientHelpTests {
    /// The 61 pages: the top level, 6 categories, 54 commands (aliases included).
    static let pages: [[String]] = [[]] + categories.flatMap { category, commands in
        [[category]] + commands.map { [category, $0] }
    }

    static let categories: [(String, [String])] = [
        ("image", ["show", "search", "clone", "shell", "build", "cp", "duplicate", "remove", "rename", "publish", "squash"]),
        (
            "node",
            [
                "show", "acquire", "release", "boot", "shell", "run", "cp", "save", "reboot", "config", "create",
                "remove", "rename", "ping", "console", "blink", "wait", "expose", "deploy",
            ]
        ),
        ("log", ["show", "wait", "add-checkpoint", "remove-checkpoint", "list-checkpoints"]),
        ("device", ["show", "shell", "tree", "rescan", "rename", "config", "ping", "forget", "expose", "port-config"]),
        (
            "advanced",
            [
                "dump-bash-autocomplete", "dump-zsh-autocomplete", "fix-image-owner", "rescan-hub-account", "sql",
                "update-default-images", "update-hub-meta",
            ]
        ),
        ("help", ["list", "show"]),
    ]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help")
    static let recording = ProcessInfo.processInfo.environment["WALT_RECORD"] == "1"

    /// No terminal, a fixed width, no configuration: help must not need any.
    static func runWalt(_ arguments: [String], columns: Int = 80) throws -> WaltBinary.Outcome {
        try WaltBinary.run(
            arguments, personality: "walt",
            environment: ["COLUMNS": String(columns), "LINES": "25", "HOME": "/nonexistent/walt-help-test"])
    }

    /// `walt-node-show` for `["node", "show"]`.
    static func fixtureName(_ page: [String], suffix: String = "") -> String {
        (["walt"] + page).joined(separator: "-") + suffix + ".txt"
    }

    /// Compares (or records) one golden file.
    static func check(_ name: String, _ outcome: WaltBinary.Outcome, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = "# exit status: \(outcome.status)\n" + outcome.stdout
        let url = fixtures.appendingPathComponent(name)
        if recording {
            try FileManager.default.createDirectory(at: fixtures, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "\(name) differs; re-record with WALT_RECORD=1 if intended", sourceLocation: sourceLocation)
    }

    /// The help page text of a fixture (without its status line).
    static func page(_ name: String) throws -> String {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return String(text.drop { $0 != "\n" }.dropFirst())
    }

    @Test(arguments: pages)
    func testHelpPage(page: [String]) throws {
        let outcome = try Self.runWalt(page + ["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        try Self.check(Self.fixtureName(page), outcome)
    }

    @Test(arguments: [["log", "show"], ["log", "wait"], ["node", "wait"], ["image", "publish"]])
    func testHelpPage_wideTerminal(page: [String]) throws {
        try Self.check(Self.fixtureName(page, suffix: ".wide"), try Self.runWalt(page + ["--help"], columns: 250))
    }

    @Test func testShortHelpSwitch_isTheSamePage() throws {
        let long = try Self.runWalt(["device", "tree", "--help"])
        let short = try Self.runWalt(["device", "tree", "-h"])
        let afterPositional = try Self.runWalt(["node", "shell", "n1", "-h"])
        #expect(short.stdout == long.stdout)
        #expect(afterPositional.stdout == (try Self.page("walt-node-shell.txt")))
    }

    @Test func testNoArguments_isMissingSubcommand() throws {
        let outcome = try Self.runWalt([])
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "No sub-command given\n------\n" + (try Self.page("walt.txt")))
        let category = try Self.runWalt(["log"])
        #expect(category.status == 1)
        #expect(category.stdout == "No sub-command given\n------\n" + (try Self.page("walt-log.txt")))
    }

    @Test func testUnknownSubcommand_exits1() throws {
        let outcome = try Self.runWalt(["nodes", "show"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "Unknown sub-command 'nodes'\n------\n" + (try Self.page("walt.txt")))
        let leaf = try Self.runWalt(["image", "lsit"])
        #expect(leaf.stdout == "Unknown sub-command 'lsit'\n------\n" + (try Self.page("walt-image.txt")))
    }

    /// Bad argv: plumbum's one-line `Error:` message, the separator, the command's help, exit 2.
    @Test(arguments: [
        (["node", "show", "--bogus"], "Unknown switch --bogus", "walt-node-show.txt"),
        (["node", "shell"], "Expected at least 1 positional argument, got []", "walt-node-shell.txt"),
        (["node", "boot", "n1", "img", "extra"], "Expected at most 2 positional arguments, got ['n1', 'img', 'extra']", "walt-node-boot.txt"),
        (["node", "wait", "n1", "--timeout"], "Switch --timeout requires an argument", "walt-node-wait.txt"),
        (["node", "run", "n1", "ls", "-l"], "Unknown switch -l", "walt-node-run.txt"),
        (["log", "show", "--server", "--nodes", "n1"], "Given --server, the following are invalid ['--nodes']", "walt-log-show.txt"),
        (["image", "show", "--all", "--all"], "Switch --all already given", "walt-image-show.txt"),
        (["--version"], "Unknown switch --version", "walt.txt"),
    ])
    func testUsageError_exits2(argv: [String], message: String, page: String) throws {
        let outcome = try Self.runWalt(argv)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.isEmpty)
        #expect(outcome.stdout == "Error: \(message)\n------\n" + (try Self.page(page)))
    }

    @Test func testBadInt_namesTheArgument() throws {
        let outcome = try Self.runWalt(["node", "expose", "n1", "80", "http"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.hasPrefix("""
            Error: Argument of local_port expected to be <class 'int'>, not 'http':
                ValueError("invalid literal for int() with base 10: 'http'")
            ------

            """))
        let timeout = try Self.runWalt(["node", "wait", "--timeout=soon", "n1"])
        #expect(timeout.status == 2)
        #expect(timeout.stdout.hasPrefix("Error: Argument of timeout expected to be <class 'int'>, not 'soon':\n"))
    }

    @Test func testServerCommand_withoutLink_failsOnOneLine() throws {
        let outcome = try Self.runWalt(["node", "show", "--all"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        // No configuration and no terminal to ask on: one line, before any network traffic.
        #expect(outcome.stderr.hasPrefix("walt: /nonexistent/walt-help-test/.walt/config lacks walt.server and walt.username"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }
}
