import Foundation
import WaltCommon

/// Our daemon for the library tests: the built binary (`WALT_BIN`, else the `walt` next to
/// the test bundle) as walt-server-daemon on its own 127.x address and state directory.
final class LibraryDaemon {
    let address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
    private let directory = URL(fileURLWithPath: "/tmp/wl-\(UUID().uuidString.prefix(8))")
    private let process = Process()

    struct Failure: Error, CustomStringConvertible { let description: String }

    init() throws {
        let binary = ProcessInfo.processInfo.environment["WALT_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("walt").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--state-dir", directory.path, "--bind", address]
        var env = ProcessInfo.processInfo.environment
        env["WALT_PERSONALITY"] = "walt-server-daemon"
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while (try? RPCClientLink(host: address, api: "CSAPI", connectTimeoutMilliseconds: 500)) == nil {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw Failure(description: "the daemon did not answer within 60 s")
            }
            usleep(100_000)
        }
    }

    /// SIGTERM (the daemon stops its PostgreSQL), bounded wait, then SIGKILL; removes the state.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Registers a node the way walt-dhcp-event does (SSAPI `register_device`).
    func registerNode(vci: String, ip: String, mac: String) throws {
        let link = try RPCClientLink(host: address, api: "SSAPI", connectTimeoutMilliseconds: 2000)
        _ = try link.call("register_device", [.str(vci), "", .str(ip), .str(mac), .none])
    }
}
