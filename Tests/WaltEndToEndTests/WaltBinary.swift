import Foundation
import Testing

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "WALT_PERSONALITY")
        env["LC_ALL"] = "C"
        if let personality { env["WALT_PERSONALITY"] = personality }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw TimeoutError(arguments: arguments)
            }
            usleep(2_000)
        }
        while !errReader.isFinished { usleep(1_000) }
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
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
