import Foundation

/// The Python of the venv holding the official client 10.0 (`make python-client`), to run
/// upstream's own code (`walt.common.crypto`) as the witness of our byte formats.
enum UpstreamPython {
    /// `$WALT_PYTHON_CLIENT`'s directory, else the repository's `.venv-walt-client`.
    static var path: String {
        if let client = ProcessInfo.processInfo.environment["WALT_PYTHON_CLIENT"], !client.isEmpty {
            return URL(fileURLWithPath: client).deletingLastPathComponent().appendingPathComponent("python").path
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv-walt-client/bin/python").path
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `script` with `arguments` (sys.argv[1:]); its stdout, without the final newline.
    static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FakeWaltServer.Failure(description: "python failed: \(String(decoding: errors, as: UTF8.self))")
        }
        var text = String(decoding: output, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
