/// The query string of a request as upstream's handlers see it: bottle's `_parse_qsl`
/// (pairs split on `&` and `;`, `+` is a space, a pair without `=` has an empty value,
/// percent escapes decoded as UTF-8), then `dict(request.query.decode())`, where a repeated
/// name keeps the place of its first occurrence and the value of its last.
struct QueryString: Sendable, Equatable {
    private(set) var pairs: [(name: String, value: String)] = []

    init(_ raw: Substring) {
        for part in raw.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(pieces[0], plusIsSpace: true)
            let value = pieces.count == 2 ? Self.decode(pieces[1], plusIsSpace: true) : ""
            if let index = pairs.firstIndex(where: { $0.name == name }) {
                pairs[index].value = value
            } else {
                pairs.append((name, value))
            }
        }
    }

    init(pairs: [(name: String, value: String)]) {
        self.init("")
        for (name, value) in pairs { set(name, value) }
    }

    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Removes a parameter and returns its value (Python's `dict.pop`).
    mutating func remove(_ name: String) -> String? {
        guard let index = pairs.firstIndex(where: { $0.name == name }) else { return nil }
        return pairs.remove(at: index).value
    }

    mutating func set(_ name: String, _ value: String) {
        if let index = pairs.firstIndex(where: { $0.name == name }) {
            pairs[index].value = value
        } else {
            pairs.append((name, value))
        }
    }

    /// `%XX` escapes decoded to bytes, the result read as UTF-8 (invalid sequences become
    /// U+FFFD). A `%` not followed by two hex digits stays as it is, as in Python's `unquote`.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
