// WaltTools: the small server-side personalities (walt-dhcp-event, walt-server-lldpd,
// walt-net-config). Each starts in milliseconds and loads nothing of the daemon.
#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// A tool personality's name and help, and its one-line error conventions.
protocol NamedTool: PersonalityEntry {
    static var name: String { get }
    static var help: String { get }
}

/// Shared shape of the option-taking tools: help, usage errors (exit 2), then `run`.
protocol ToolEntry: NamedTool {
    static var valuedOptions: Set<String> { get }
    static var flagOptions: Set<String> { get }
    static func run(_ arguments: ToolArguments) -> Int32
}

extension ToolEntry {
    static var valuedOptions: Set<String> { [] }
    static var flagOptions: Set<String> { [] }

    public static func main(_ arguments: [String]) -> Int32 {
        let parsed: ToolArguments
        do {
            parsed = try ToolArguments(arguments, valued: valuedOptions, flags: flagOptions)
        } catch {
            return usageError("\(error)")
        }
        if parsed.wantsHelp {
            StandardStream.output.write(help)
            return 0
        }
        return run(parsed)
    }
}

extension NamedTool {
    /// Prints `<name>: <message> (see <name> --help)` and returns the usage exit code.
    static func usageError(_ message: String) -> Int32 {
        StandardStream.error.write("\(name): \(message) (see '\(name) --help')\n")
        return 2
    }

    /// Prints `<name>: <message>` and returns the failure exit code.
    static func failure(_ message: String) -> Int32 {
        StandardStream.error.write("\(name): \(message)\n")
        return 1
    }
}

/// An environment variable's value, nil when unset or empty.
func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
