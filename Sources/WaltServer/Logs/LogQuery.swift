import WaltCommon

/// The filters of a log request (`REQ_DUMP_LOGS` parameters, `count_logs` keywords):
/// history bounds (exclusive), issuer names, and POSIX-ERE patterns for stream names and
/// lines, as upstream's `format_logs_query`.
public struct LogQuery: Sendable, Equatable {
    /// nil: no history at all; bounds nil: open.
    public var history: (from: Double?, to: Double?)?
    public var realtime = false
    public var issuers: [String]?
    public var streamsRegexp: String?
    public var loglineRegexp: String?
    public var excludeConsoles = false
    public var timestampsFormat = TimestampsFormat.datetime

    public enum TimestampsFormat: String, Sendable {
        case datetime
        case floatSeconds = "float-s"
        case floatMilliseconds = "float-ms"
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init() {}

    public static func == (lhs: LogQuery, rhs: LogQuery) -> Bool {
        lhs.history?.from == rhs.history?.from && lhs.history?.to == rhs.history?.to
            && (lhs.history == nil) == (rhs.history == nil) && lhs.realtime == rhs.realtime
            && lhs.issuers == rhs.issuers && lhs.streamsRegexp == rhs.streamsRegexp
            && lhs.loglineRegexp == rhs.loglineRegexp && lhs.excludeConsoles == rhs.excludeConsoles
            && lhs.timestampsFormat == rhs.timestampsFormat
    }

    /// Reads a parameters dict (string keys); unknown keys are refused like Python's
    /// keyword binding would.
    public init(parameters: [(key: PyValue, value: PyValue)]) throws(Invalid) {
        for (key, value) in parameters {
            guard case .str(let name) = key else { throw Invalid(description: "non-string parameter name") }
            switch name {
            case "history": history = try Self.history(value)
            case "realtime": realtime = Self.truth(value)
            case "issuers":
                if value.isNone {
                    issuers = nil
                } else if let items = value.sequenceItems ?? (value.stringValue.map { [.str($0)] }) {
                    issuers = try items.map { item throws(Invalid) in
                        guard let text = item.stringValue else { throw Invalid(description: "issuer names must be str") }
                        return text
                    }
                } else {
                    throw Invalid(description: "issuers must be a tuple of names or None")
                }
            case "streams_regexp": streamsRegexp = try Self.optionalString(value, name)
            case "logline_regexp": loglineRegexp = try Self.optionalString(value, name)
            case "exclude_consoles": excludeConsoles = Self.truth(value)
            case "timestamps_format":
                guard let text = value.stringValue, let format = TimestampsFormat(rawValue: text) else {
                    throw Invalid(description: "unexpected timestamps_format value")
                }
                timestampsFormat = format
            case "output_format":
                guard value.stringValue == "dict-pickles" else {
                    throw Invalid(description: "unsupported output_format \(value)")
                }
            case "stream_mode":
                continue
            default:
                throw Invalid(description: "unexpected parameter '\(name)'")
            }
        }
    }

    private static func history(_ value: PyValue) throws(Invalid) -> (from: Double?, to: Double?)? {
        if value.isNone { return nil }
        guard let items = value.sequenceItems, items.count == 2 else {
            throw Invalid(description: "history must be None or a (from, to) pair")
        }
        func bound(_ item: PyValue) throws(Invalid) -> Double? {
            switch item {
            case .none: return nil
            case .float(let number): return number
            case .int(let number):
                guard let value = try? number.exactly(Int.self) else { throw Invalid(description: "history bound out of range") }
                return Double(value)
            default: throw Invalid(description: "history bounds must be numbers or None")
            }
        }
        return (try bound(items[0]), try bound(items[1]))
    }

    private static func optionalString(_ value: PyValue, _ name: String) throws(Invalid) -> String? {
        if value.isNone { return nil }
        guard let text = value.stringValue else { throw Invalid(description: "\(name) must be a str or None") }
        // Upstream skips empty patterns too (`if streams_regexp:`).
        return text.isEmpty ? nil : text
    }

    private static func truth(_ value: PyValue) -> Bool {
        switch value {
        case .none: return false
        case .bool(let flag): return flag
        case .int(let number): return number != PyInt(0)
        default: return true
        }
    }
}
