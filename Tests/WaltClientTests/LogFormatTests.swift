import Testing
@testable import WaltClient
import WaltCommon

/// `--format`: the part of Python's `str.format` log formats use; expected texts are what
/// Python 3.11 prints for the same record.
struct LogFormatTests {
    static let time = try! PyDateTime(year: 2026, month: 3, day: 4, hour: 5, minute: 6, second: 7, microsecond: 8900)

    func render(_ template: String) throws -> String {
        try LogFormat(template).render(timestamp: Self.time, issuer: "rpi", stream: "s", line: "hello")
    }

    @Test func defaultFormat() throws {
        #expect(try render(LogCommands.defaultFormat) == "05:06:07.008900 rpi.s -> hello")
    }

    @Test func timestampsAndAlignment() throws {
        #expect(try render("{timestamp}") == "2026-03-04 05:06:07.008900")
        #expect(try render("{timestamp:%Y-%m-%d %j %a %%}") == "2026-03-04 063 Wed %")
        #expect(try render("[{issuer:>6}] [{stream:*^5}] [{line:<7}]") == "[   rpi] [**s**] [hello  ]")
        #expect(try render("{{literal}} {line}") == "{literal} hello")
        #expect(try PyDateTime(year: 2026, month: 1, day: 2).pythonText == "2026-01-02 00:00:00")
    }

    @Test func refusedFormats() {
        for template in ["{nope}", "{line", "x}", "{line:abc}"] {
            #expect(throws: LogFormat.Invalid.self) { try render(template) }
        }
    }
}
