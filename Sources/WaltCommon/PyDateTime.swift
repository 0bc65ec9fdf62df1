/// A naive Python `datetime.datetime`: every log record the server streams carries one
/// (local time, no tzinfo, as upstream builds it with `datetime.fromtimestamp`).
///
/// Fields are validated like CPython's constructor, so a decoded value is always one
/// Python would accept.
public struct PyDateTime: Hashable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let microsecond: Int
    /// PEP 495 `fold` (0 or 1); ignored by Python's equality, kept for round-trips.
    public let fold: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                microsecond: Int = 0, fold: Int = 0) throws(PyValueError) {
        guard (1...9999).contains(year) else { throw .invalidDateTime("year \(year) is out of range") }
        guard (1...12).contains(month) else { throw .invalidDateTime("month must be in 1..12") }
        guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw .invalidDateTime("day is out of range for month")
        }
        guard (0...23).contains(hour) else { throw .invalidDateTime("hour must be in 0..23") }
        guard (0...59).contains(minute) else { throw .invalidDateTime("minute must be in 0..59") }
        guard (0...59).contains(second) else { throw .invalidDateTime("second must be in 0..59") }
        guard (0...999_999).contains(microsecond) else { throw .invalidDateTime("microsecond must be in 0..999999") }
        guard fold == 0 || fold == 1 else { throw .invalidDateTime("fold must be either 0 or 1") }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
        self.fold = fold
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// The 10-byte state CPython pickles (`datetime.__reduce__`): year big-endian, month
    /// (+128 when fold=1), day, hour, minute, second, microsecond as 3 big-endian bytes.
    public var pickleState: [UInt8] {
        [UInt8(year >> 8), UInt8(year & 0xff), UInt8(month | (fold << 7)), UInt8(day),
         UInt8(hour), UInt8(minute), UInt8(second),
         UInt8(microsecond >> 16), UInt8((microsecond >> 8) & 0xff), UInt8(microsecond & 0xff)]
    }

    /// Reads the 10-byte pickle state.
    public init(pickleState s: [UInt8]) throws(PyValueError) {
        guard s.count == 10 else { throw .invalidDateTime("pickled state must be 10 bytes, got \(s.count)") }
        try self.init(year: Int(s[0]) << 8 | Int(s[1]), month: Int(s[2] & 0x7f), day: Int(s[3]),
                      hour: Int(s[4]), minute: Int(s[5]), second: Int(s[6]),
                      microsecond: Int(s[7]) << 16 | Int(s[8]) << 8 | Int(s[9]), fold: Int(s[2] >> 7))
    }
}
