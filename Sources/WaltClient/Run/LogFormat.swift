#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt log show --format`: the subset of Python's `str.format` that log formats use, with
/// the record's fields `timestamp` (a datetime: a `{timestamp:...}` spec is strftime with
/// `%f`), `issuer`, `stream` and `line`. Anything else (an unknown field, a spec Python
/// would refuse) fails, and the command says, as upstream, "Could not display the log record."
struct LogFormat {
    enum Piece {
        case text(String)
        case field(name: String, spec: String)
    }

    struct Invalid: Error {}

    let pieces: [Piece]

    /// Parses the template; `{{` and `}}` are literal braces.
    init(_ template: String) throws(Invalid) {
        var pieces: [Piece] = []
        var text = ""
        var characters = Array(template)[...]
        while let character = characters.popFirst() {
            if character == "{" {
                if characters.first == "{" { characters.removeFirst(); text.append("{"); continue }
                guard let close = characters.firstIndex(of: "}") else { throw Invalid() }
                let inside = String(characters[..<close])
                characters = characters[(close + 1)...]
                let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard ["timestamp", "issuer", "stream", "line"].contains(name) else { throw Invalid() }
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(.field(name: name, spec: parts.count > 1 ? String(parts[1]) : ""))
            } else if character == "}" {
                guard characters.popFirst() == "}" else { throw Invalid() }
                text.append("}")
            } else {
                text.append(character)
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        self.pieces = pieces
    }

    /// One record as a line (without the newline).
    func render(timestamp: PyDateTime, issuer: String, stream: String, line: String) throws(Invalid) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .field("timestamp", let spec): out += spec.isEmpty ? timestamp.pythonText : Self.strftime(timestamp, spec)
            case .field(let name, let spec):
                let value = name == "issuer" ? issuer : name == "stream" ? stream : line
                out += try Self.aligned(value, spec)
            }
        }
        return out
    }

    /// `datetime.strftime`: `%f` is the microseconds; the rest is the C library's.
    static func strftime(_ t: PyDateTime, _ spec: String) -> String {
        var parts = t.cTime
        var copy = parts
        _ = timegm(&copy)   // fills tm_wday and tm_yday, for %a, %j and the like
        parts.tm_wday = copy.tm_wday
        parts.tm_yday = copy.tm_yday
        var expanded = ""
        var characters = Array(spec)[...]
        while let character = characters.popFirst() {
            if character == "%", let next = characters.first {
                characters.removeFirst()
                expanded += next == "f" ? t.microsecondText : next == "%" ? "%%" : "%\(next)"
            } else {
                expanded.append(character)
            }
        }
        var buffer = [CChar](repeating: 0, count: 512)
        let count = Glibc.strftime(&buffer, buffer.count, expanded, &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `[[fill]align][width]` of Python's format spec for strings.
    static func aligned(_ value: String, _ spec: String) throws(Invalid) -> String {
        guard !spec.isEmpty else { return value }
        var characters = Array(spec)
        var fill: Character = " ", align: Character = "<"
        if characters.count >= 2, "<>^".contains(characters[1]) {
            fill = characters[0]; align = characters[1]; characters.removeFirst(2)
        } else if let first = characters.first, "<>^".contains(first) {
            align = first; characters.removeFirst()
        }
        guard let width = Int(String(characters)), width >= 0 else { throw Invalid() }
        let missing = max(0, width - value.count)
        switch align {
        case ">": return String(repeating: fill, count: missing) + value
        case "^": return String(repeating: fill, count: missing / 2) + value + String(repeating: fill, count: missing - missing / 2)
        default: return value + String(repeating: fill, count: missing)
        }
    }
}
