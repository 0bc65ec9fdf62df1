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
        value.pythonText
    }

    /// The Unix time of a naive local datetime (checkpoints are stored that way).
    static func timestamp(_ value: PyDateTime) -> Double {
        var parts = value.cTime
        return Double(mktime(&parts)) + Double(value.microsecond) / 1_000_000
    }
}
