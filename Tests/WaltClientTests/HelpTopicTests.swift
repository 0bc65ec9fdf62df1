import Testing

@testable import WaltClient

/// The documentation behind `walt help list/show`: topics, their layout in the pager, and
/// the pager's keys.
@Suite struct HelpTopicTests {
    @Test func testTopicsReferencedByMessagesExist() {
        // Upstream's client and server messages point at these.
        for name in ["help-intro", "node-ownership", "shells", "device-config", "log-history", "image-build",
                     "node-save", "node-console", "log-wait", "log-realtime", "log-issuers", "log-format",
                     "log-checkpoint", "device-port-config"] {
            #expect(HelpTopic.named(name) != nil, "\(name)")
        }
    }

    @Test func testHeaderIsTheFirstTitle() {
        #expect(HelpTopic(name: "x", markdown: "\n\n# Title here\n\ntext").header == "Title here")
        #expect(HelpTopic(name: "x", markdown: "plain first line\nmore").header == "plain first line")
    }

    @Test func testList_namesPaddedAndSorted() {
        let lines = HelpTopic.described()
        #expect(lines.count == HelpTopic.all.count)
        #expect(HelpTopic.all.map(\.name) == HelpTopic.all.map(\.name).sorted())
        let separators = Set(lines.map { $0.range(of: " -- ")!.lowerBound.utf16Offset(in: $0) })
        #expect(separators.count == 1)
        #expect(!lines.joined().contains("`"))
    }

    @Test func testMarkdown_wrapsParagraphsAndKeepsCode() {
        let text = MarkdownText(markdown: """
            # Title

            one two three four five six seven eight nine ten eleven twelve

                code   stays   as typed
            * an item that is long enough to wrap around
            """, width: 24)
        let plain = text.lines.map { $0.text.replacingOccurrences(of: "\u{1B}[1m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "") }
        #expect(plain[0] == "Title")
        #expect(plain[1] == "")
        #expect(plain[2] == "one two three four five")
        #expect(plain.contains("      code   stays   as typed"))
        let item = plain.firstIndex { $0.hasPrefix("  • an item") }!
        #expect(plain[item + 1].hasPrefix("    "))
        #expect(text.lines.allSatisfy { $0.text.count <= 40 })
    }

    @Test func testMarkdown_inlineCodeSpansWords() {
        let text = MarkdownText(markdown: "run `walt node show --all` now", width: 200)
        #expect(text.lines[0].text == "run \u{1B}[4mwalt\u{1B}[0m \u{1B}[4mnode\u{1B}[0m \u{1B}[4mshow\u{1B}[0m \u{1B}[4m--all\u{1B}[0m now")
    }

    @Test func testMarkdown_findsTopicLinks() {
        let text = MarkdownText(markdown: "See `walt help show node-ownership` and `walt help show nothing-here`.", width: 200)
        #expect(text.lines.compactMap(\.link) == ["node-ownership"])
    }

    @Test func testPagerKeys() {
        #expect(PagerKey(bytes: [0x71]) == .quit)
        #expect(PagerKey(bytes: [0x1B, 0x5B, 0x41]) == .up)
        #expect(PagerKey(bytes: [0x1B, 0x5B, 0x42]) == .down)
        #expect(PagerKey(bytes: [0x1B, 0x5B, 0x36, 0x7E]) == .pageDown)
        #expect(PagerKey(bytes: [0x20]) == .pageDown)
        #expect(PagerKey(bytes: [0x09]) == .nextLink)
        #expect(PagerKey(bytes: [0x0D]) == .open)
        #expect(PagerKey(bytes: [0x7F]) == .back)
        #expect(PagerKey(bytes: [0x78]) == .other)
        #expect(PagerKey.keys(in: [0x09, 0x0D, 0x1B, 0x5B, 0x36, 0x7E, 0x1B, 0x4F, 0x41, 0x71])
                == [.nextLink, .open, .pageDown, .up, .quit])
    }

    @Test func testHelpCommands_withoutTerminal_printMarkdown() {
        var out = "", err = ""
        let context = ClientContext(writeOutput: { out += $0 }, writeError: { err += $0 })
        #expect(ClientEntry.main(["help", "list"], context: context) == 0)
        #expect(out.hasPrefix("The following help topics are available:\ndevice-config"))
        out = ""
        #expect(ClientEntry.main(["help", "show", "node-ownership"], context: context) == 0)
        #expect(out == HelpTopic.named("node-ownership")!.markdown + "\n")
        out = ""
        #expect(ClientEntry.main(["help", "show", "no-such-topic"], context: context) == 0)
        #expect(out.isEmpty && err == "Sorry, no such help topic. (tip: use \"walt help list\")\n")
    }
}
