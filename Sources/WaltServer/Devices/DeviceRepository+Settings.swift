import WaltCommon
import WaltStore

extension DeviceRepository {
    /// Merges settings into `devices.conf` of these devices (upstream's
    /// `conf = conf || <new>::jsonb`). Keys and values travel as bound parameters; the
    /// JSON object is built by PostgreSQL, so no JSON text is ever assembled here.
    public func mergeConf(macs: [String], _ values: [(key: String, value: PyValue)]) async throws {
        let pairs: [SQL] = values.map { "\($0.key)::text, \(Self.jsonbValue($0.value))" }
        try await store.query(
            """
            UPDATE devices SET conf = COALESCE(conf, '{}'::jsonb) || jsonb_build_object(\(pairs.joined(separator: ", ")))
            WHERE mac = ANY(\(array: macs)::text[])
            """)
    }

    /// A setting value as JSONB: text, number, boolean or null (the types `DeviceSettingsChange`
    /// stores).
    static func jsonbValue(_ value: PyValue) -> SQL {
        switch value {
        case .bool(let flag): "to_jsonb(\(flag)::boolean)"
        case .int(let number): "to_jsonb(\(number.description)::numeric)"
        case .float(let number): "to_jsonb(\(number)::float8)"
        case .str(let text): "to_jsonb(\(text)::text)"
        default: "'null'::jsonb"
        }
    }
}
