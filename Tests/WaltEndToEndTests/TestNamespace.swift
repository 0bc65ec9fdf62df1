import Foundation

/// A network namespace made by one test (`wt-<random>`), so interface changes never touch
/// the host's own network. `remove()` (in `defer`) deletes it with everything inside.
final class TestNamespace {
    let name = "wt-\(UUID().uuidString.prefix(8).lowercased())"

    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") }

    init() throws {
        let outcome = try Self.ip(["netns", "add", name])
        guard outcome.status == 0 else { throw DaemonHarness.HarnessError(message: "ip netns add: \(outcome.stderr)") }
    }

    func remove() {
        _ = try? Self.ip(["netns", "del", name])
    }

    /// `ip <arguments>` inside the namespace.
    @discardableResult
    func ip(_ arguments: [String]) throws -> WaltBinary.Outcome {
        try Self.ip(["netns", "exec", name, "/usr/sbin/ip"] + arguments)
    }

    /// One of our personalities, run inside the namespace.
    func run(_ personality: String, _ arguments: [String], environment: [String: String] = [:],
             timeout: Double = 30) throws -> WaltBinary.Outcome {
        try WaltBinary.run(["netns", "exec", name, WaltBinary.path] + arguments, executable: "/usr/sbin/ip",
                           environment: environment.merging(["WALT_PERSONALITY": personality]) { $1 }, timeout: timeout)
    }

    /// Interface names in the namespace (without `lo`).
    func links() throws -> [String] {
        try ip(["-o", "link", "show"]).stdout.split(separator: "\n").compactMap { line in
            let name = line.split(separator: ":").dropFirst().first?.trimmingCharacters(in: .whitespaces)
            return name.map { String($0.split(separator: "@").first ?? "") }
        }.filter { $0 != "lo" }
    }

    private static func ip(_ arguments: [String]) throws -> WaltBinary.Outcome {
        try WaltBinary.run(arguments, executable: "/usr/sbin/ip")
    }
}
