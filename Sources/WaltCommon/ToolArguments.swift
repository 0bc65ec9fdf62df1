/// A small scanner for the server-side personalities' command lines
/// (`--name VALUE`, `--name=VALUE`, flags, positionals, `--`).
///
/// The client has its own plumbum-compatible parser; the server tools only need this much,
/// and they need it to reject anything unexpected with a one-line message (exit code 2).
public struct ToolArguments: Sendable {
    public private(set) var options: [String: String] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positionals: [String] = []

    /// A usage problem: the message names the offending argument.
    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// - Parameters:
    ///   - arguments: argv without the program name.
    ///   - valued: option names (with dashes) that take a value.
    ///   - flags: option names that take none; `-h`/`--help` are always accepted as `--help`.
    public init(_ arguments: [String], valued: Set<String> = [], flags knownFlags: Set<String> = []) throws {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let arg = arguments[index]
            index += 1
            if onlyPositionals || !arg.hasPrefix("-") || arg == "-" {
                positionals.append(arg)
                continue
            }
            if arg == "--" {
                onlyPositionals = true
                continue
            }
            if arg == "-h" || arg == "--help" {
                flags.insert("--help")
                continue
            }
            var name = arg
            var inlineValue: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            if valued.contains(name) {
                if let inlineValue {
                    options[name] = inlineValue
                } else if index < arguments.count {
                    options[name] = arguments[index]
                    index += 1
                } else {
                    throw UsageError(message: "option \(name) needs a value")
                }
            } else if knownFlags.contains(name), inlineValue == nil {
                flags.insert(name)
            } else {
                throw UsageError(message: "unknown option '\(arg)'")
            }
        }
    }

    /// True when `-h` or `--help` was given.
    public var wantsHelp: Bool { flags.contains("--help") }
}
