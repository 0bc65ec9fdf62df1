/// A SQL statement whose values travel as bound parameters, never as SQL text.
///
/// `"SELECT * FROM devices WHERE name = \(name)"` renders as `... WHERE name = $1` with
/// `name` as parameter 1, so quotes or backslashes in `name` stay data. Raw text can only
/// enter through the literal parts or `\(unescaped:)`, which is meant for identifiers and
/// keywords chosen by our own code, never for user input. Fragments compose with
/// `\(fragment)`: their parameters are renumbered when the statement is rendered.
public struct SQL: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// One piece of the statement: raw text, or a value sent as parameter `$n`.
    enum Part: Sendable, Hashable {
        case text(String)
        case bind(String?)
    }

    private(set) var parts: [Part] = []

    public init(stringLiteral value: String) {
        if !value.isEmpty { parts = [.text(value)] }
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// Raw SQL text from our own code (identifiers, keywords); never put user input here.
    public init(unescaped text: String) {
        self.init(stringLiteral: text)
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var parts: [Part] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { parts.append(.text(literal)) }
        }

        /// A value, sent as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PGEncodable) {
            parts.append(.bind(value.postgresText))
        }

        /// An optional value; `nil` is sent as SQL NULL.
        public mutating func appendInterpolation(_ value: (some PGEncodable)?) {
            parts.append(.bind(value?.postgresText))
        }

        /// A Swift array sent as one PostgreSQL array parameter, e.g. for `= ANY(\(macs))`.
        public mutating func appendInterpolation(array values: [some PGEncodable]) {
            parts.append(.bind(PGArrayLiteral.render(values.map { $0.postgresText })))
        }

        /// Raw text chosen by our code: identifiers, keywords, ORDER BY directions.
        public mutating func appendInterpolation(unescaped text: String) {
            parts.append(.text(text))
        }

        /// Another statement fragment, with its own parameters.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts.append(contentsOf: fragment.parts)
        }
    }

    /// Appends a fragment, keeping its parameters.
    public mutating func append(_ fragment: SQL) {
        parts.append(contentsOf: fragment.parts)
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The text sent to the server, with `$1`, `$2`, ... in place of values.
    public var text: String { rendered.text }

    /// The parameter values in order, as text (`nil` is NULL).
    public var binds: [String?] { rendered.binds }

    /// Text and parameters computed together, numbering parameters in order of appearance.
    var rendered: (text: String, binds: [String?]) {
        var text = ""
        var binds: [String?] = []
        for part in parts {
            switch part {
            case .text(let raw):
                text += raw
            case .bind(let value):
                binds.append(value)
                text += "$\(binds.count)"
            }
        }
        return (text, binds)
    }
}

extension Array where Element == SQL {
    /// Joins fragments, e.g. the rows of a multi-row `VALUES` list.
    public func joined(separator: String) -> SQL {
        var result = SQL(stringLiteral: "")
        for (index, fragment) in enumerated() {
            if index > 0 { result.append(SQL(unescaped: separator)) }
            result.append(fragment)
        }
        return result
    }
}
