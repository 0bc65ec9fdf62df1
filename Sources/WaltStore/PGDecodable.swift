/// A Swift type that can be read from a text-format result value.
///
/// Results come back in PostgreSQL's text format; each type parses its own text and
/// `Optional` maps SQL NULL to `nil`, so `let ip: String? = try row.decode("ip")` reads a
/// nullable column and `let id: Int = try row.decode("id")` refuses a NULL.
public protocol PGDecodable: Sendable {
    /// `nil` when the value is SQL NULL; throws when the text is not of this type.
    init(postgresText text: String?) throws(StoreError)
}

extension PGDecodable {
    static func unwrap(_ text: String?) throws(StoreError) -> String {
        guard let text else {
            throw StoreError(kind: .invalidValue, message: "unexpected NULL for \(Self.self)")
        }
        return text
    }

    static func mismatch(_ text: String) -> StoreError {
        StoreError(kind: .invalidValue, message: "cannot read \(Self.self) from \"\(text)\"")
    }
}

extension String: PGDecodable {
    public init(postgresText text: String?) throws(StoreError) {
        self = try Self.unwrap(text)
    }
}

extension Int: PGDecodable {
    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        guard let value = Int(text) else { throw Self.mismatch(text) }
        self = value
    }
}

extension Int64: PGDecodable {
    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        guard let value = Int64(text) else { throw Self.mismatch(text) }
        self = value
    }
}

extension Double: PGDecodable {
    /// Accepts PostgreSQL's "Infinity", "-Infinity" and "NaN" as well as plain numbers.
    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        switch text {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        case "NaN": self = .nan
        default:
            guard let value = Double(text) else { throw Self.mismatch(text) }
            self = value
        }
    }
}

extension Bool: PGDecodable {
    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw Self.mismatch(text)
        }
    }
}

extension Array: PGDecodable where Element == UInt8 {
    /// bytea in the default hex output format (`\x0a1b...`).
    public init(postgresText text: String?) throws(StoreError) {
        let text = try Self.unwrap(text)
        let utf8 = Array<UInt8>(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"),
              utf8.count % 2 == 0
        else { throw Self.mismatch(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else {
                throw Self.mismatch(text)
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    public init(postgresText text: String?) throws(StoreError) {
        self = try text.map { (text: String) throws(StoreError) in try Wrapped(postgresText: text) }
    }
}
