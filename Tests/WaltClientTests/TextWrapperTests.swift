import Testing

@testable import WaltClient

/// Expected lines were produced by CPython 3.11's `textwrap.TextWrapper(width=w).wrap(t)`.
@Suite struct TextWrapperTests {
    @Test(arguments: [
        (
            44, "how to print each line (walt help show log-format); the default is {timestamp:%H:%M:%S.%f} {issuer}.{stream} -> {line}",
            [
                "how to print each line (walt help show log-", "format); the default is",
                "{timestamp:%H:%M:%S.%f} {issuer}.{stream} ->", "{line}",
            ]
        ),
        (
            44, "whose logs to select (walt help show log-issuers); the default is my-nodes",
            ["whose logs to select (walt help show log-", "issuers); the default is my-nodes"]
        ),
        (10, "abcdefghijklmnopqrstuvwxyz", ["abcdefghij", "klmnopqrst", "uvwxyz"]),
        (10, "aaaa-bbbbbbbbbbbbbb", ["aaaa-bbbbb", "bbbbbbbbb"]),
        (12, "well--known  words   here", ["well--known", "words   here"]),
        (8, "--issuers, --nodes, --streams", ["--issuer", "s,", "--nodes,", "--stream", "s"]),
        (
            49, "give up after waiting this many seconds (-1: wait forever); the default is -1",
            ["give up after waiting this many seconds (-1: wait", "forever); the default is -1"]
        ),
        (20, "", []),
    ])
    func testWrap_matchesPython(width: Int, text: String, expected: [String]) {
        #expect(TextWrapper(width: width).wrap(text) == expected)
    }
}
