#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt log add-checkpoint`: the `--date` forms (relative to the server's clock, or a
/// local `YYYY-MM-DD hh:mm:ss`), the name rule, then `add_checkpoint(name, date)`.
struct Checkpoints {
    let link: RPCServerLink
    let context: ClientContext

    static let invalidName = """
        Invalid checkpoint name:
        * Only alnum and dash(-) characters are allowed.
        * dash(-) is not allowed as the 1st character.

        """

    func add(_ invocation: Invocation) throws(ClientError) -> Int32 {
        guard case .string(let name)? = invocation.positional("checkpoint_name") else { return 0 }
        var date = PyValue.none
        if let given = invocation.string("date"), !given.isEmpty {
            if given.hasPrefix("-") {
                let serverTime = try link.call("get_time").floatValue ?? 0
                guard let delay = Self.relativeDelay(given) else {
                    context.writeOutput("Invalid relative date. Should be: -<int>[dhms] (e.g. '-6h' for 'six hours ago')\n")
                    return 1
                }
                date = .float(serverTime - Double(delay))
            } else {
                guard let timestamp = Self.localTimestamp(given) else {
                    context.writeOutput(
                        "Could not parse the date specified.\nExpected format is: <YYYY>-<MM>-<DD> <hh>:<mm>:<ss>\nExample: 2015-09-28 15:16:39\n")
                    return 0
                }
                date = .float(timestamp)
            }
        }
        guard Self.isValidName(name) else {
            context.writeError(Self.invalidName)
            return 0
        }
        _ = try link.call("add_checkpoint", [.str(name), date])
        return 0
    }

    /// `^[a-zA-Z0-9]+[a-zA-Z0-9\-]+$`: two characters at least, the first not a dash.
    static func isValidName(_ name: String) -> Bool {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-") }
        guard name.count >= 2, let first = name.first, first != "-" else { return false }
        return name.allSatisfy(allowed)
    }

    /// Seconds in `-<int><s|m|h|d>` (Python's `int(rel[1:-1]) * unit`).
    static func relativeDelay(_ text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last.flatMap({ units[$0] }), text.count >= 3 else { return nil }
        let digits = String(text.dropFirst().dropLast()).trimmingTrailingSpaces()
        guard let count = Int(digits) else { return nil }
        return count * unit
    }

    /// `YYYY-MM-DD hh:mm:ss` in local time (Python's `strptime(...).timestamp()`).
    static func localTimestamp(_ text: String) -> Double? {
        let halves = text.split(separator: " ", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let day = halves[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let time = halves[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        // A datetime, as strptime builds: out-of-range fields (month 13, second 60) fail.
        guard day.count == 3, time.count == 3, let year = day[0], let month = day[1], let mday = day[2],
              let hour = time[0], let minute = time[1], let second = time[2],
              let value = try? PyDateTime(year: year, month: month, day: mday, hour: hour, minute: minute, second: second)
        else { return nil }
        var parts = value.cTime
        let seconds = mktime(&parts)
        return seconds == -1 ? nil : Double(seconds)
    }
}
