/// A Swift value that can be sent as a text-format parameter.
///
/// Parameters are sent in PostgreSQL's text format with type OID 0, so the server infers
/// the type from the statement (`$1::timestamptz` when it cannot). Only value types of our
/// own choosing conform: this is the whole list of things that may enter a statement.
public protocol PGEncodable: Sendable {
    /// The value in PostgreSQL's text input syntax.
    var postgresText: String { get }
}

extension String: PGEncodable {
    public var postgresText: String { self }
}

extension Substring: PGEncodable {
    public var postgresText: String { String(self) }
}

extension Int: PGEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PGEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PGEncodable {
    public var postgresText: String { String(self) }
}

extension UInt16: PGEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PGEncodable {
    /// Swift prints "inf" and "nan"; PostgreSQL wants "Infinity" and "NaN".
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }
}

extension Bool: PGEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension Array: PGEncodable where Element == UInt8 {
    /// bytea in hex format (`\x0a1b...`), which the server accepts in text mode.
    public var postgresText: String {
        let digits: [Character] = Array<Character>("0123456789abcdef")
        var text = "\\x"
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }
}

/// Renders a one-dimensional PostgreSQL array literal such as `{"a","b\"c",NULL}`.
enum PGArrayLiteral {
    static func render(_ elements: [String?]) -> String {
        var text = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            // Always quote, so that empty strings, spaces, commas and the word NULL stay data.
            text += "\""
            for character in element {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}
