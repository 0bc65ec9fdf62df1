#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Python's `datetime.fromtimestamp(ts)`: a naive datetime in the server's local time zone,
/// which is how upstream timestamps the log records and checkpoints it sends.
enum LocalTime {
    static func dateTime(_ timestamp: Double) -> PyDateTime? {
        var seconds = time_t(timestamp.rounded(.down))
        var micros = Int(((timestamp - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return nil }
        return try? PyDateTime(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                               hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(min(parts.tm_sec, 59)),
                               microsecond: micros)
    }

    /// `str(datetime)`: `2024-05-01 12:00:00.123456`, microseconds only when non-zero.
    static func text(_ value: PyDateTime) -> String {
        func pad(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = "\(pad(value.year, 4))-\(pad(value.month, 2))-\(pad(value.day, 2)) "
            + "\(pad(value.hour, 2)):\(pad(value.minute, 2)):\(pad(value.second, 2))"
        if value.microsecond != 0 { text += "." + pad(value.microsecond, 6) }
        return text
    }

    /// The Unix time of a naive local datetime (checkpoints are stored that way).
    static func timestamp(_ value: PyDateTime) -> Double {
        var parts = tm()
        parts.tm_year = Int32(value.year - 1900)
        parts.tm_mon = Int32(value.month - 1)
        parts.tm_mday = Int32(value.day)
        parts.tm_hour = Int32(value.hour)
        parts.tm_min = Int32(value.minute)
        parts.tm_sec = Int32(value.second)
        parts.tm_isdst = -1
        return Double(mktime(&parts)) + Double(value.microsecond) / 1_000_000
    }
}
