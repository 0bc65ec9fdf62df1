import Testing
import WaltCommon
@testable import WaltServer

/// Query strings (bottle's parsing), casts and filters (upstream's tools.py), and the
/// checks of `/api/v1/logs`, with upstream's exact messages.
struct WebQueryTests {
    @Test func testQueryString_bottleParsing_lastValueWinsAtItsFirstPlace() {
        let query = QueryString("a=1&b=2;c=3&a=4&d&e=x+y%20z%2B&&=v&f=%C3%A9%zz")
        #expect(query.pairs.map(\.name) == ["a", "b", "c", "d", "e", "", "f"])
        #expect(query.pairs.map(\.value) == ["4", "2", "3", "", "x y z+", "v", "é%zz"])
        #expect(query["e"] == "x y z+" && query["missing"] == nil)
    }

    @Test(arguments: [
        ("true", true), ("false", false), ("1", true), ("0", false), ("2", true), ("0.0", false), ("\"x\"", true),
        ("\"\"", false), ("[]", false), ("[0]", true), ("null", false), ("{}", false),
    ])
    func testCast_boolIsPythonTruthOfJsonLoads(text: String, expected: Bool) {
        #expect(QueryCast.convert(text, as: .bool) == .success(.bool(expected)))
    }

    @Test(arguments: [
        ("1.5", 1.5), ("1700000000", 1700000000), ("\"1.5\"", 1.5), ("\" 1_000.5 \"", 1000.5), ("true", 1), ("false", 0),
        ("-2e3", -2000),
    ])
    func testCast_floatAcceptsNumbersNumericStringsAndBools(text: String, expected: Double) {
        #expect(QueryCast.convert(text, as: .float) == .success(.float(expected)))
    }

    @Test(arguments: [
        ("yes", "bool", "cannot interpret 'yes' as a 'bool'."),
        ("", "bool", "cannot interpret '' as a 'bool'."),
        ("abc", "float", "cannot interpret 'abc' as a 'float'."),
        ("\"abc\"", "float", "cannot interpret 'abc' as a 'float'."),
        ("null", "float", "cannot interpret 'None' as a 'float'."),
        ("[1,2]", "float", "cannot interpret '[1, 2]' as a 'float'."),
        ("{\"a\": \"b\"}", "float", "cannot interpret '{'a': 'b'}' as a 'float'."),
        ("1e", "float", "cannot interpret '1e' as a 'float'."),
    ])
    func testCast_refusalsQuoteWhatPythonQuotes(text: String, kind: String, message: String) {
        #expect(QueryCast.convert(text, as: QueryCast.Kind(rawValue: kind)!) == .failure(.badRequest(message)))
    }

    @Test func testPythonFloatText_grammar() {
        #expect(PythonFloatText.parse(" 1_000.5\n") == 1000.5)
        #expect(PythonFloatText.parse("5.") == 5 && PythonFloatText.parse(".5") == 0.5 && PythonFloatText.parse("-1E3") == -1000)
        #expect(PythonFloatText.parse("Infinity") == .infinity && PythonFloatText.parse("-inf") == -.infinity)
        #expect(PythonFloatText.parse("NaN")?.isNaN == true)
        for bad in ["", ".", "1__0", "_1", "1_", "0x10", "1e", "1e+", "in", "1.5.2"] {
            #expect(PythonFloatText.parse(bad) == nil, "\(bad)")
        }
    }

    static let items: [JSONValue] = [
        .object([("name", .string("a")), ("ip", .string("10.0.0.1")), ("booted", .bool(true))]),
        .object([("name", .string("b")), ("ip", .null), ("booted", .bool(false))]),
        .object([("name", .string("c")), ("ip", .string("10.0.0.3")), ("booted", .bool(true))]),
    ]
    static let fields: [String: QueryCast.Kind] = ["name": .str, "ip": .str, "booted": .bool]

    static func names(_ result: Result<[JSONValue], WebError>) -> [String]? {
        guard case .success(let items) = result else { return nil }
        return items.compactMap { if case .string(let name)? = $0["name"] { name } else { nil } }
    }

    @Test func testFilter_exactMatchesBooleansSplitEmptyValuesIgnored() {
        let apply: (String) -> Result<[JSONValue], WebError> = { QueryFilter.apply(Self.items, fields: Self.fields, query: QueryString(Substring($0))) }
        #expect(Self.names(apply("")) == ["a", "b", "c"])
        #expect(Self.names(apply("booted=true")) == ["a", "c"])
        #expect(Self.names(apply("booted=false")) == ["b"])
        #expect(Self.names(apply("booted=1&ip=10.0.0.3")) == ["c"])
        #expect(Self.names(apply("ip=&name=")) == ["a", "b", "c"])
        #expect(Self.names(apply("name=A")) == [])
        #expect(Self.names(apply("ip=10.0.0")) == [])
    }

    @Test func testFilter_firstBadParameterIsReported() {
        let apply: (String) -> Result<[JSONValue], WebError> = { QueryFilter.apply(Self.items, fields: Self.fields, query: QueryString(Substring($0))) }
        #expect(apply("config=x&other=1") == .failure(.badRequest("'config' is not a valid filtering field.")))
        #expect(apply("name=a&booted=maybe&zzz=1") == .failure(.badRequest("cannot interpret 'maybe' as a 'bool'.")))
        // Unknown even when empty.
        #expect(apply("zzz=") == .failure(.badRequest("'zzz' is not a valid filtering field.")))
    }

    static let now = 1_700_000_000.0
    static func logs(_ text: String) -> Result<LogsRequest, WebError> {
        LogsRequest.parse(QueryString(Substring(text)), now: now)
    }

    @Test func testLogs_boundsUnitsIssuerAndStream() throws {
        let plain = try Self.logs("from=1600000000&to=1600000100").get()
        #expect(plain == LogsRequest(from: 1_600_000_000, to: 1_600_000_100, milliseconds: false, issuer: nil, stream: nil))
        let ms = try Self.logs("from=1600000000123&to=1600000100456&ts_unit=ms&issuer=walt-server&stream=platform.nodes").get()
        #expect(ms.from == 1_600_000_000_123 * 0.001 && ms.to == 1_600_000_100_456 * 0.001 && ms.milliseconds)
        #expect(ms.issuer == "walt-server" && ms.stream == "^platform.nodes$")
        let query = try #require(ms.logQuery)
        #expect(query.issuers == ["walt-server"] && query.streamsRegexp == "^platform.nodes$")
        #expect(query.history?.from == ms.from && query.history?.to == ms.to && query.timestampsFormat == .floatMilliseconds)
        #expect(!query.realtime && query.loglineRegexp == nil)
        // Empty issuer and stream filter nothing; other parameters are ignored.
        let empty = try Self.logs("from=1600000000&to=1600000100&issuer=&stream=&other=1").get()
        #expect(empty.issuer == nil && empty.stream == nil)
        // The future allows 2 s of clock difference.
        #expect((try? Self.logs("from=1600000000&to=\(Self.now + 2)").get()) != nil)
    }

    @Test(arguments: [
        ("to=1600000000", "Query parameters 'from' and 'to' are required."),
        ("from=1600000000", "Query parameters 'from' and 'to' are required."),
        ("from=x&to=1600000000", "cannot interpret 'x' as a 'float'."),
        ("from=&to=1600000000", "cannot interpret '' as a 'float'."),
        ("from=1600000000&to=1600000001&ts_unit=h", "Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)"),
        ("from=1600000000&to=1600000001&ts_unit=", "Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)"),
        ("from=1300000000&to=1600000001", "Query parameter 'ts_from' is invalid (earlier than WALT project startup date!)"),
        ("from=1600000000&to=1600000001&ts_unit=ms", "Query parameter 'ts_from' is invalid (earlier than WALT project startup date!)"),
        ("from=1600000000&to=1300000000", "Query parameter 'ts_to' is invalid (earlier than WALT project startup date!)"),
        ("from=1700000002.5&to=1300000000", "Query parameter 'ts_from' is invalid, it refers to a date in the future.\nNote: you can use 'ts_unit' query parameter to specify the unit (i.e. 's' for seconds, 'ms' for milliseconds)."),
        ("from=1600000000000&to=1600000001000", "Query parameter 'ts_from' is invalid, it refers to a date in the future.\nNote: you can use 'ts_unit' query parameter to specify the unit (i.e. 's' for seconds, 'ms' for milliseconds)."),
        ("from=1600000000&to=Infinity", "Query parameter 'ts_to' is invalid, it refers to a date in the future.\nNote: you can use 'ts_unit' query parameter to specify the unit (i.e. 's' for seconds, 'ms' for milliseconds)."),
    ])
    func testLogs_refusalsInUpstreamOrder(query: String, message: String) {
        #expect(Self.logs(query) == .failure(.badRequest(message)))
    }

    @Test func testLogs_nanBoundsPassTheChecksAndListNothing() throws {
        let request = try Self.logs("from=NaN&to=1600000000").get()
        #expect(request.logQuery == nil)
    }
}
