import WaltCommon

/// A log record as `REQ_DUMP_LOGS` clients read it: a pickled dict with keys in
/// upstream's order, the timestamp as a naive local datetime or a float.
enum LogRecordEncoder {
    static func value(timestamp: Double, line: String, issuer: String, stream: String,
                      format: LogQuery.TimestampsFormat) -> PyValue {
        let time: PyValue
        switch format {
        case .datetime: time = LocalTime.dateTime(timestamp).map(PyValue.datetime) ?? .float(timestamp)
        case .floatSeconds: time = .float(timestamp)
        case .floatMilliseconds: time = .float(timestamp * 1000)
        }
        return .dict([(.str("timestamp"), time), (.str("line"), .str(line)), (.str("issuer"), .str(issuer)), (.str("stream"), .str(stream))])
    }

    static func encode(timestamp: Double, line: String, issuer: String, stream: String,
                       format: LogQuery.TimestampsFormat) -> [UInt8] {
        PickleEncoder.encode(value(timestamp: timestamp, line: line, issuer: issuer, stream: stream, format: format))
    }
}
