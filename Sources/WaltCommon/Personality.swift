// WaltCommon: what every personality of the walt binary shares.
// Wire formats (pickle subset, Python literals, RPC framing), constants, and the
// personality table. No NIO and no Foundation, because the client links it.

/// The names the single `walt` binary answers to.
///
/// Raw values are the installed names (as `swift-build` is a name of `swift-package`), so
/// dispatch is a plain lookup of `basename(argv[0])`.
public enum Personality: String, CaseIterable, Sendable {
    case client = "walt"
    case serverDaemon = "walt-server-daemon"
    case dhcpEvent = "walt-dhcp-event"
    case serverLLDPD = "walt-server-lldpd"
    case netConfig = "walt-net-config"
    /// Run by the shell completion scripts for values only the server knows.
    case autocompleteHelper = "walt-autocomplete-helper"

    /// Environment variable that picks a personality regardless of the program name,
    /// for tests and for running the build output without symlinks.
    public static let overrideVariable = "WALT_PERSONALITY"

    /// Picks the personality: the override when set and non-empty, else the last path
    /// component of `argv0`.
    public static func resolve(argv0: String, override: String?) -> Result<Personality, UnknownPersonality> {
        let name: String
        if let override, !override.isEmpty {
            name = override
        } else {
            name = String(argv0.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        }
        if let personality = Personality(rawValue: name) {
            return .success(personality)
        }
        return .failure(UnknownPersonality(name: name, fromOverride: override?.isEmpty == false))
    }
}

/// The binary was started under a name that is none of its personalities.
public struct UnknownPersonality: Error, Equatable, CustomStringConvertible {
    public let name: String
    public let fromOverride: Bool

    public init(name: String, fromOverride: Bool) {
        self.name = name
        self.fromOverride = fromOverride
    }

    public var description: String {
        let names = Personality.allCases.map(\.rawValue).joined(separator: ", ")
        let origin = fromOverride ? "\(Personality.overrideVariable)=\(name)" : "program name '\(name)'"
        return "walt: unknown personality (\(origin)). "
            + "This binary runs as one of: \(names). "
            + "Install it under one of these names (make install), or set \(Personality.overrideVariable)."
    }
}

/// What each personality module exposes to the dispatcher.
public protocol PersonalityEntry {
    /// Runs the personality with the arguments after the program name; returns the exit code.
    static func main(_ arguments: [String]) -> Int32
}
