import Testing

@testable import WaltClient

/// Routing of parsed commands: server commands go through the context's one link.
@Suite struct CommandRunnerTests {
    /// Collects what the client writes.
    final class Capture: @unchecked Sendable {
        var output = ""
        var error = ""
    }

    /// A link that records what it was asked to do.
    final class RecordingLink: ServerLink {
        var performed: [String] = []
        func perform(_ invocation: Invocation, context: ClientContext) throws(ClientError) -> Int32 {
            performed.append(invocation.path)
            return 0
        }
    }

    private func context(_ capture: Capture, open: @escaping ServerLinkOpener = ServerLinkUnavailable.open) -> ClientContext {
        ClientContext(openLink: open, writeOutput: { capture.output += $0 }, writeError: { capture.error += $0 })
    }

    @Test func testServerCommand_withoutLink_failsOnOneLine() {
        let capture = Capture()
        let status = ClientEntry.main(["node", "show"], context: context(capture))
        #expect(status == 1)
        #expect(capture.output.isEmpty)
        #expect(capture.error == "walt: cannot reach the server: the RPC link is not built yet\n")
    }

    @Test func testServerCommands_shareOneLazilyOpenedLink() {
        let capture = Capture()
        let link = RecordingLink()
        var opened = 0
        let ctx = context(capture) { () throws(ClientError) -> any ServerLink in
            opened += 1
            return link
        }
        #expect(opened == 0)
        #expect(ClientEntry.main(["node", "show", "--all"], context: ctx) == 0)
        #expect(ClientEntry.main(["image", "show"], context: ctx) == 0)
        #expect(opened == 1)
        #expect(link.performed == ["walt node show", "walt image show"])
    }

    @Test func testHelpAndUsageErrors_neverOpenTheLink() {
        let capture = Capture()
        let ctx = context(capture) { () throws(ClientError) -> any ServerLink in
            Issue.record("the link must not be opened")
            throw ClientError("unexpected")
        }
        #expect(ClientEntry.main(["node", "show", "--help"], context: ctx) == 0)
        #expect(ClientEntry.main(["node", "show", "--bogus"], context: ctx) == 2)
        #expect(ClientEntry.main(["node"], context: ctx) == 1)
        #expect(capture.error.isEmpty)
    }

    @Test func testUsageError_printsPlumbumsReport() {
        let capture = Capture()
        #expect(ClientEntry.main(["node", "shell"], context: context(capture)) == 2)
        #expect(capture.output.hasPrefix("Error: Expected at least 1 positional argument, got []\n------\n"))
        #expect(capture.output.hasSuffix(HelpRenderer(columns: 80).render(.command(.node, NodeCommands.all[4]))))
    }

    @Test func testLocalCommands_runWithoutTheLink() {
        let capture = Capture()
        #expect(ClientEntry.main(["help", "list"], context: context(capture)) == 0)
        #expect(capture.output.hasPrefix("The following help topics are available:\n"))
        #expect(capture.error.isEmpty)
    }

    /// Upstream opens no link for `fix-image-owner` until its switch is given.
    @Test func testFixImageOwnerWarning_runsWithoutTheLink() {
        let capture = Capture()
        #expect(ClientEntry.main(["advanced", "fix-image-owner", "bob"], context: context(capture)) == 0)
        #expect(capture.output == AdvancedActions.fixImageOwnerWarning("bob"))
        #expect(capture.error.isEmpty)
        #expect(ClientEntry.main(["advanced", "fix-image-owner", "--yes-i-know-do-it-please", "bob"], context: context(capture)) == 1)
        #expect(capture.error.contains(ServerLinkUnavailable.reason))
    }
}
