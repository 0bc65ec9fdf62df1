import Testing
@testable import WaltCommon

/// Python literal forms beyond what repr() prints: what a hand-written node script sends.
@Suite struct LiteralTests {
    @Test func setModeLine() throws {
        #expect(try PythonLiteralParser.parse("('SET_MODE', 'pickle4')") == .tuple(["SET_MODE", "pickle4"]))
        #expect(try PythonRepr.repr(.tuple(["SET_MODE", "pickle4"])) == "('SET_MODE', 'pickle4')")
    }

    static let parseCases: [(String, PyValue)] = {
        var cases: [(String, PyValue)] = []
        func add(_ text: String, _ value: PyValue) { cases.append((text, value)) }
        add(#"'a\'b'"#, .str("a'b"))
        add(#""a\"b""#, .str("a\"b"))
        add(#"'\x41\101\u00e9\U0001F600'"#, .str("AAé😀"))
        add(#"'\a\b\f\n\r\t\v\0\\'"#, .str("\u{7}\u{8}\u{c}\n\r\t\u{b}\u{0}\\"))
        add(#"'\d\q'"#, .str("\\d\\q"))
        add(#"r'\n\''"#, .str("\\n\\'"))
        add(#"'a' "b" 'c'"#, .str("abc"))
        add(#"'''x'y"z'''"#, .str("x'y\"z"))
        add(#"u'x'"#, .str("x"))
        add(#"b'\x00\xff\777\u1234'"#, .bytes([0, 0xff, 0xff] + Array("\\u1234".utf8)))
        add(#"Rb'\x'"#, .bytes(Array("\\x".utf8)))
        add("'a\\\nb'", .str("ab"))
        add("0", .int(0))
        add("-0", .int(0))
        add("00", .int(0))
        add("1_000", .int(1000))
        add("0x_ff", .int(255))
        add("0o17", .int(15))
        add("0b101", .int(5))
        add("-12", .int(-12))
        add("+3", .int(3))
        add("--4", .int(4))
        add("-9223372036854775808", .int(PyInt(Int.min)))
        add("1.", .float(1.0))
        add(".5", .float(0.5))
        add("1e3", .float(1000.0))
        add("1E-3", .float(0.001))
        add("-inf", .float(-.infinity))
        add("1e999", .float(.infinity))
        add("-0.0", .float(-0.0))
        add("1_0.2_5", .float(10.25))
        add("( 1 , )", .tuple([1]))
        add("(1)", .int(1))
        add("[1, 2,]", .list([1, 2]))
        add("{ 'a' : 1 , }", .strDict(["a": 1]))
        add("{1: 'a', 1.0: 'b', True: 'c'}", .dict([(key: .int(1), value: .str("c"))]))
        add("((),[],{})", .tuple([.tuple([]), .list([]), .dict([])]))
        if let stamp = try? PyDateTime(year: 2025, month: 6, day: 15, hour: 15, minute: 6, second: 40, microsecond: 123_456) {
            add("datetime.datetime(2025, 6, 15, 15, 6, 40, 123456)", .datetime(stamp))
        }
        if let stamp = try? PyDateTime(year: 2025, month: 6, day: 15, fold: 1) {
            add("datetime.datetime(2025, 6, 15, 0, 0, fold=1)", .datetime(stamp))
        }
        add("array('h', [24, 80, 0, 0])", .array(PyArray([24, 80, 0, 0])))
        add("array('h')", .array(PyArray([])))
        if let error = try? PyException("KeyError", args: ["x"]) { add("KeyError('x')", .exception(error)) }
        if let error = try? PyException("Exception") { add("Exception()", .exception(error)) }
        return cases
    }()

    @Test func parseCasesAreComplete() {
        #expect(Self.parseCases.count == 43)
    }

    @Test(arguments: parseCases)
    func parses(_ text: String, _ expected: PyValue) throws {
        #expect(try PythonLiteralParser.parse(text) == expected)
    }

    @Test(arguments: ["'abc", "'a\nb'", "[1, 2", "(1 2)", "{1: }", "01", "1__0", "1_", "0x", "'\\x4'", "'\\ud800'",
                      "'\\U00110000'", "b'é'", "b'a' 'b'", "'\\N{BULLET}'", "array('i', [1])", "array('h', [70000])",
                      "datetime.datetime(2025, 2, 30)", "{[1]: 2}", "-'a'", "None None", "", "1e", "1.2.3"])
    func refuses(_ text: String) {
        #expect(throws: PythonLiteralError.self) { try PythonLiteralParser.parse(text) }
    }

    @Test func floatReprEdgeCases() {
        let cases: [(Double, String)] = [
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1e-5, "1e-05"), (1e-4, "0.0001"), (0.1, "0.1"),
            (-0.0, "-0.0"), (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"), (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (123456789012345678.0, "1.2345678901234568e+17"),
            (9007199254740993.0, "9007199254740992.0"), (1.5e300, "1.5e+300"), (100.0, "100.0"), (0.00012, "0.00012"),
        ]
        for (value, text) in cases { #expect(PythonRepr.repr(value) == text) }
    }

    @Test func stringQuoteChoice() {
        #expect(PythonRepr.repr("it's") == #""it's""#)
        #expect(PythonRepr.repr("say \"hi\"") == #"'say "hi"'"#)
        #expect(PythonRepr.repr("both ' and \"") == #"'both \' and "'"#)
        #expect(PythonRepr.repr([0x27, 0x00, 0x80] as [UInt8]) == #"b"'\x00\x80""#)
        #expect(PythonRepr.repr("\u{7f}\u{80}\u{a0}\u{ad}\u{2028} é\u{1F600}\u{feff}\u{e0001}") == #"'\x7f\x80\xa0\xad\u2028 é😀\ufeff\U000e0001'"#)
    }
}
