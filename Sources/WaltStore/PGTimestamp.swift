/// A point in time as seconds since 1970 (UTC), read from and written to `timestamptz`.
///
/// WalT's times are Unix timestamps (log lines, checkpoints); the daemon has no
/// Foundation `Date`. Written as `2024-05-01 12:00:00.123456+00`, which the server reads
/// the same whatever the session time zone, and which `COPY` accepts too. Read from any
/// `timestamptz` output (`+02`, `-03:30`); text without an offset (a plain `timestamp`
/// column) is taken as UTC.
public struct PGTimestamp: PGEncodable, PGDecodable, Hashable, Comparable {
    public var secondsSince1970: Double

    public init(secondsSince1970: Double) {
        self.secondsSince1970 = secondsSince1970
    }

    public static func < (lhs: PGTimestamp, rhs: PGTimestamp) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    public var postgresText: String {
        var micros = Int64((secondsSince1970 * 1_000_000).rounded())
        var days = micros / 86_400_000_000
        micros -= days * 86_400_000_000
        if micros < 0 {
            micros += 86_400_000_000
            days -= 1
        }
        let (year, month, day) = Self.civil(fromDays: days)
        let second = micros / 1_000_000
        let fraction = micros % 1_000_000
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) "
            + "\(Self.pad(second / 3600, 2)):\(Self.pad(second / 60 % 60, 2)):\(Self.pad(second % 60, 2))"
            + ".\(Self.pad(fraction, 6))+00"
    }

    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, !range.isEmpty else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        // YYYY-MM-DD HH:MM:SS[.ffffff][(+|-)HH[:MM]]
        guard bytes.count >= 19, let year = number(0..<4), let month = number(5..<7),
              let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
              let second = number(17..<19)
        else { throw Self.mismatch(text) }
        var index = 19
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000
            while index < bytes.count, let digit = number(index..<index + 1) {
                micros += digit * scale
                scale /= 10
                index += 1
            }
        }
        var offset: Int64 = 0
        if index < bytes.count {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard bytes[index] == UInt8(ascii: "+") || sign < 0, let hours = number(index + 1..<index + 3)
            else { throw Self.mismatch(text) }
            let minutes = index + 3 < bytes.count ? number(index + 4..<index + 6) ?? 0 : 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        self.secondsSince1970 = Double(seconds) + Double(micros) / 1_000_000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(fromCivil:)`.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
