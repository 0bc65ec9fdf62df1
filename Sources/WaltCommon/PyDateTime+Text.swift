#if canImport(Glibc)
import Glibc
#endif

/// What both sides print of a datetime: Python's `str(datetime)`, and the C `tm` that
/// `strftime` and `mktime` take (the server's checkpoints, the client's `--format`).
extension PyDateTime {
    /// `str(datetime)`: `2024-05-01 12:00:00.123456`, microseconds only when non-zero.
    public var pythonText: String {
        var text = "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) "
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))"
        if microsecond != 0 { text += "." + microsecondText }
        return text
    }

    /// The microseconds on six digits (strftime's `%f`).
    public var microsecondText: String { Self.pad(microsecond, 6) }

    /// The fields as a `tm` (`tm_isdst` -1: let the C library decide), without the
    /// day-of-week and day-of-year, which `timegm` or `mktime` fill in.
    public var cTime: tm {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        return parts
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
