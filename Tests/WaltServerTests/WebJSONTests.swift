import Testing
import WaltCommon
@testable import WaltServer

/// The web API's JSON: what `json.dumps` writes (separators, ASCII escapes, float reprs) and
/// what `json.loads` accepts for query values. Expectations are Python 3's outputs.
struct WebJSONTests {
    @Test func testWriter_separatorsAndOrderAsJsonDumps() {
        let value: JSONValue = .object([
            ("num_nodes", .int(2)), ("nodes", .array([.bool(true), .bool(false), .null, .string("x")])),
            ("config", .object([("boot.timeout", .int(180)), ("ram", .string("512M"))])), ("empty", .array([])),
            ("none", .object([])),
        ])
        #expect(JSONWriter.text(value) == #"{"num_nodes": 2, "nodes": [true, false, null, "x"], "config": {"boot.timeout": 180, "ram": "512M"}, "empty": [], "none": {}}"#)
    }

    @Test func testWriter_stringsEscapedAsEnsureAscii() {
        // python3 -c 'import json; print(json.dumps("\"\\/\n\r\t\b\f\x01\x7f~é€😀"))'
        let text = "\"\\/\n\r\t\u{08}\u{0C}\u{01}\u{7F}~é€😀"
        #expect(JSONWriter.text(.string(text)) == #""\"\\/\n\r\t\b\f\u0001\u007f~\u00e9\u20ac\ud83d\ude00""#)
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1e-5, "1e-05"), (-0.0, "-0.0"), (123456789.125, "123456789.125"),
        (1700000000.123456, "1700000000.123456"), (1700000000123.456, "1700000000123.456"),
        (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ])
    func testWriter_floatsAsPythonRepr(value: Double, text: String) {
        #expect(JSONWriter.text(.float(value)) == text)
    }

    @Test func testFromPython_tuplesAreListsAndIntsKeepTheirDigits() {
        let python: PyValue = .dict([
            (.str("t"), .tuple([.int(1), .float(2.5)])), (.str("n"), .none),
            (.str("big"), .int(PyInt(decimal: "123456789012345678901234567890")!)),
        ])
        #expect(JSONWriter.text(JSONValue(python: python)) == #"{"t": [1, 2.5], "n": null, "big": 123456789012345678901234567890}"#)
    }

    @Test func testReader_acceptsWhatJsonLoadsAccepts() throws {
        #expect(try JSONReader.parse(" true ") == .bool(true))
        #expect(try JSONReader.parse("null") == .none)
        #expect(try JSONReader.parse("-12") == .int(PyInt(-12)))
        #expect(try JSONReader.parse("1.5e3") == .float(1500))
        #expect(try JSONReader.parse("1E2") == .float(100))
        #expect(try JSONReader.parse("1e400") == .float(.infinity))
        #expect(try JSONReader.parse("NaN") == .float(.nan))
        #expect(try JSONReader.parse("-Infinity") == .float(-.infinity))
        #expect(try JSONReader.parse(#""a\"b\u00e9\ud83d\ude00\n""#) == .str("a\"bé😀\n"))
        #expect(try JSONReader.parse("\"é\"") == .str("é"))
        #expect(try JSONReader.parse(#"[1, [], {"a": "b", "a": 2}]"#)
            == .list([.int(PyInt(1)), .list([]), .dict([(.str("a"), .int(PyInt(2)))])]))
    }

    @Test(arguments: ["", "01", "1.", ".5", "-", "+1", "tru", "'x'", "[1,]", "{\"a\" 1}", "\"a\u{01}\"", "1 2", "\"\\x\"", "nan", "[", "1e"])
    func testReader_refusesWhatJsonLoadsRefuses(text: String) {
        #expect(throws: JSONReader.Invalid.self) { try JSONReader.parse(text) }
    }
}
