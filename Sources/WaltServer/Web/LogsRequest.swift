/// The query of `GET /api/v1/logs`, checked in upstream's order with its messages: `from` and
/// `to` required, cast as floats, `ts_unit` `s` (default) or `ms`, then each bound (in
/// seconds) no earlier than `WALT_T0` and no later than 2 s from now. `stream` is matched as
/// the whole stream name (`^S$`, a POSIX regex, unescaped as upstream), `issuer` as one device
/// name; both go to PostgreSQL as bound parameters only. Other parameters are ignored.
struct LogsRequest: Sendable, Equatable {
    /// Epoch of June 2012, before any WalT log.
    static let waltT0: Double = 1_340_000_000
    /// Clocks of the server and the caller may disagree this much.
    static let futureTolerance: Double = 2

    /// Bounds in seconds (exclusive).
    var from: Double
    var to: Double
    var milliseconds: Bool
    var issuer: String?
    var stream: String?

    static func parse(_ query: QueryString, now: Double) -> Result<LogsRequest, WebError> {
        guard let fromText = query["from"], let toText = query["to"] else {
            return .failure(.badRequest("Query parameters 'from' and 'to' are required."))
        }
        var bounds: [Double] = []
        for text in [fromText, toText] {
            switch QueryCast.convert(text, as: .float) {
            case .failure(let error): return .failure(error)
            case .success(.float(let value)): bounds.append(value)
            case .success: return .failure(.badRequest("cannot interpret '\(text)' as a 'float'."))
            }
        }
        let unit = query["ts_unit"] ?? "s"
        switch unit {
        case "s": break
        // Upstream multiplies by 0.001 (not / 1000): the same doubles reach the database.
        case "ms": bounds = bounds.map { $0 * 0.001 }
        default:
            return .failure(.badRequest("Query parameter 'ts_unit' should be 's' (seconds) or 'ms' (milliseconds)"))
        }
        for (name, value) in zip(["ts_from", "ts_to"], bounds) {
            if value < waltT0 {
                return .failure(.badRequest("Query parameter '\(name)' is invalid (earlier than WALT project startup date!)"))
            }
            if value > now + futureTolerance {
                return .failure(.badRequest(
                    "Query parameter '\(name)' is invalid, it refers to a date in the future.\n"
                        + "Note: you can use 'ts_unit' query parameter to specify the unit "
                        + "(i.e. 's' for seconds, 'ms' for milliseconds)."))
            }
        }
        let stream = query["stream"] ?? ""
        let issuer = query["issuer"] ?? ""
        return .success(LogsRequest(from: bounds[0], to: bounds[1], milliseconds: unit == "ms",
                                    issuer: issuer.isEmpty ? nil : issuer,
                                    stream: stream.isEmpty ? nil : "^" + stream + "$"))
    }

    /// The store query, or nil when it cannot match anything: a NaN bound passes upstream's
    /// checks (every comparison is false) and then fails in its database layer, which its
    /// web handler turns into an empty list.
    var logQuery: LogQuery? {
        guard !from.isNaN, !to.isNaN else { return nil }
        var query = LogQuery()
        query.history = (from, to)
        query.issuers = issuer.map { [$0] }
        query.streamsRegexp = stream
        query.timestampsFormat = milliseconds ? .floatMilliseconds : .floatSeconds
        return query
    }
}
