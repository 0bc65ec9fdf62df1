import Testing

@testable import WaltClient

/// The three help layouts. Prose is ours; the layout is WalT 10.0's (test/syntax/*.out).
@Suite struct HelpRendererTests {
    let renderer = HelpRenderer(columns: 80)

    @Test func testRoot_layout() {
        let text = renderer.render(.root)
        #expect(text.hasPrefix("\nWalT platform control tool.\nVersion: 10.0\n\nUsage:\n    walt CATEGORY SUBCOMMAND [args...]\n"))
        #expect(text.contains("\nHelp about a given category or subcommand:\n    walt CATEGORY --help\n    walt CATEGORY SUBCOMMAND --help\n"))
        #expect(text.contains("\nHelp about WalT in general:\n    walt help show\n\nCategories:\n    image     "))
        let names = text.split(separator: "\n").drop { $0 != "Categories:" }.dropFirst().map { $0.split(separator: " ")[0] }
        #expect(names == ["image", "node", "log", "device", "advanced", "help"])
        #expect(text.hasSuffix("\n    help      \(Category.help.summary)\n"))
    }

    @Test func testCategory_layoutAndOrder() {
        let text = renderer.render(.category(.advanced))
        #expect(text.hasPrefix("\nWalT platform control tool\n-> \(Category.advanced.summary)\n\nUsage:\n    walt advanced SUBCOMMAND [args...]\n\nHelp about a given subcommand:\n    walt advanced SUBCOMMAND --help\n\nHelp about WalT in general:\n    walt help show\n\nSub-commands:\n"))
        let entries = text.split(separator: "\n").drop { $0 != "Sub-commands:" }.dropFirst()
        // no ordering in WalT's advanced category: sorted by name
        #expect(entries.map { $0.split(separator: " ")[0] } == [
            "dump-bash-autocomplete", "dump-zsh-autocomplete", "fix-image-owner", "rescan-hub-account", "sql",
            "update-default-images", "update-hub-meta",
        ])
        // "    %-22s  %s"
        #expect(entries.allSatisfy { $0.dropFirst(4 + 22).hasPrefix("  ") && !$0.dropFirst(4 + 22 + 2).hasPrefix(" ") })
        let node = renderer.render(.category(.node)).split(separator: "\n").drop { $0 != "Sub-commands:" }.dropFirst()
        #expect(node.first == "    show     \(NodeCommands.all[0].summary)")
        #expect(node.last == "    deploy   another name for 'boot'")
    }

    @Test func testLeaf_standardLayout() {
        let show = NodeCommands.all[0]
        #expect(
            renderer.render(.command(.node, show)) == """
                \(show.summary)

                Usage:
                    walt node show [SWITCHES] \("")

                Meta-switches:
                    -h, --help        Prints this help message and quits

                Switches:
                    --all             \(show.switches[0].help)
                    --names-only      \(show.switches[1].help)


                """)
    }

    @Test func testLeaf_positionalTokens() {
        let usage = { (category: Category, name: String) in
            renderer.render(.command(category, category.command(named: name)!)).split(separator: "\n")[2]
        }
        #expect(usage(.device, "port-config") == "    walt device port-config [SWITCHES] switch_name [port_id=None] configuration...")
        #expect(usage(.device, "rescan") == "    walt device rescan [SWITCHES] [device_set=server,explorable-switches]")
        #expect(usage(.node, "blink") == "    walt node blink [SWITCHES] node_name [duration=60]")
        #expect(usage(.node, "run") == "    walt node run [SWITCHES] node_set cmdargs...")
    }

    @Test func testLeaf_customUsage() {
        let text = renderer.render(.command(.node, Category.node.command(named: "cp")!))
        #expect(text.contains("""
            Usage:
                walt node cp <local-path> <node>:<path>
                walt node cp <node>:<path> <local-path>
                walt node cp <node>:<path> booted-image
            \("    ")
            Meta-switches:
            """))
        let help = renderer.render(.command(.help, Category.help.command(named: "show")!))
        #expect(help.contains("Usage:\nwalt help show [topic=help-intro]\n\nMeta-switches:\n"))
    }

    @Test func testLeaf_wideTerminal_putsHelpAfterTheLongestSwitch() {
        let wait = Category.log.command(named: "wait")!
        let lines = HelpRenderer(columns: 250).render(.command(.log, wait)).split(separator: "\n")
        // longest left part: "--issuers, --emitters, --nodes SET_OF_ISSUERS:str" (49) + 6
        let column = 4 + 49 + 6
        for line in lines where line.hasPrefix("    -") {
            #expect(line.dropFirst(column - 1).first == " ")
            #expect(line.dropFirst(column).first != " ")
        }
        #expect(lines.contains { $0.hasPrefix("    --mode LOG_WAIT_MODE:{ALL, ANY}  ") && $0.hasSuffix("; the default is ANY") })
        #expect(lines.contains { $0.hasSuffix("; the default is -1") && $0.hasPrefix("    --timeout SECONDS:int  ") })
        #expect(!lines.contains { $0.hasPrefix("    --time-margin") && $0.contains("default") })
        #expect(lines.contains { $0.hasSuffix("; excludes --issuers, --nodes, --streams, --server") })
    }

    @Test func testLeaf_narrowTerminal_wrapsLikePlumbum() {
        let show = Category.log.command(named: "show")!
        let lines = renderer.render(.command(.log, show)).split(separator: "\n", omittingEmptySubsequences: false)
        // 50 + 44 >= 80: the help of the longest switch starts on the next line, at column 36
        let issuers = lines.firstIndex { $0.hasPrefix("    --issuers, --emitters, --nodes SET_OF_ISSUERS:str") }!
        #expect(lines[issuers] == "    --issuers, --emitters, --nodes SET_OF_ISSUERS:str")
        #expect(lines[issuers + 1].hasPrefix(String(repeating: " ", count: 36) + "whose"))
        #expect(lines.allSatisfy { $0.unicodeScalars.count <= 80 })
    }
}
