import Foundation
import Testing
import WaltCommon

/// The built `walt` binary, run as a separate process the way users and services run it.
///
/// `WALT_BIN` names it explicitly (the Makefile sets it); otherwise it is the `walt` next to
/// this test bundle in SwiftPM's products directory.
enum WaltBinary {
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["WALT_BIN"], !explicit.isEmpty {
            return explicit
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("walt").path
    }()

    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` (default: the binary itself) with `arguments`, an optional
    /// `WALT_PERSONALITY`, extra environment and standard input; waits at most `timeout`.
    static func run(
        _ arguments: [String],
        personality: String? = nil,
        executable: String? = nil,
        environment: [String: String] = [:],
        stdin: String? = nil,
        timeout: Double = 30
    ) throws -> Outcome {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "WALT_PERSONALITY")
        env["LC_ALL"] = "C"
        if let personality { env["WALT_PERSONALITY"] = personality }
        for (key, value) in environment { env[key] = value }
        // Not Foundation's Process: its run() can crash in Swift 6.3.1 (SpawnedCommand).
        let result = try SpawnedCommand.run(executable ?? path, arguments, environment: env, stdin: stdin, timeout: timeout)
        guard let status = result.status else { throw TimeoutError(arguments: arguments) }
        return Outcome(status: status, stdout: String(decoding: result.stdout, as: UTF8.self),
                       stderr: String(decoding: result.stderr, as: UTF8.self))
    }

    struct TimeoutError: Error, CustomStringConvertible {
        var arguments: [String]
        var description: String { "walt \(arguments.joined(separator: " ")) did not finish in time" }
    }

    /// A fresh directory under the system temp dir, removed by the caller's `defer`.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("walt-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
