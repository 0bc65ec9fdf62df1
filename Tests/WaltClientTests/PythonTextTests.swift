import Testing

@testable import WaltClient

/// Expected values are CPython's `repr()` and `int()` results.
@Suite struct PythonTextTests {
    @Test func testRepr_quotesLikePython() {
        #expect(PythonText.repr("abc") == "'abc'")
        #expect(PythonText.repr("a'b") == "\"a'b\"")
        #expect(PythonText.repr("a\"b'c") == "'a\"b\\'c'")
        #expect(PythonText.repr("t\tn\n\u{01}\u{a0}é\u{2028}") == "'t\\tn\\n\\x01\\xa0é\\u2028'")
        #expect(PythonText.repr(["x", "y"]) == "['x', 'y']")
        #expect(PythonText.repr([String]()) == "[]")
        #expect(PythonText.tupleRepr(["ALL", "ANY"]) == "('ALL', 'ANY')")
        #expect(PythonText.tupleRepr(["ONE"]) == "('ONE',)")
    }

    @Test(arguments: [
        ("12", 12), (" 7 ", 7), ("+3", 3), ("-0", 0), ("1_000", 1000), ("\u{663}", 3), ("-42", -42),
    ] as [(String, Int)])
    func testInt_acceptsPythonLiterals(text: String, value: Int) {
        #expect(PythonText.int(text) == value)
    }

    @Test(arguments: ["1__0", "_1", "1_", "", "abc", "0x10", "1.5", "- 1", "99999999999999999999"])
    func testInt_rejectsWhatPythonRejects(text: String) {
        #expect(PythonText.int(text) == nil)
    }
}
