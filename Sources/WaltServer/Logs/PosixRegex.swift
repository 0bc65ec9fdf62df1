#if canImport(Glibc)
import Glibc
#endif

/// A POSIX extended regular expression (libc `regcomp` with `REG_EXTENDED`), as upstream
/// uses for realtime log filters, so realtime lines match the same way as history lines
/// filtered by PostgreSQL's `(?e)` mode. `matches` searches anywhere in the text.
///
/// Used by one connection task at a time (regexec on one compiled pattern is not shared).
final class PosixRegex: @unchecked Sendable {
    struct Invalid: Error, CustomStringConvertible {
        let pattern: String
        let message: String
        var description: String { "invalid regular expression \(pattern): \(message)" }
    }

    private var compiled = regex_t()

    init(_ pattern: String) throws {
        let status = regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB)
        guard status == 0 else {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(status, &compiled, &buffer, buffer.count)
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw Invalid(pattern: pattern, message: message)
        }
    }

    deinit {
        regfree(&compiled)
    }

    func matches(_ text: String) -> Bool {
        regexec(&compiled, text, 0, nil, 0) == 0
    }
}
