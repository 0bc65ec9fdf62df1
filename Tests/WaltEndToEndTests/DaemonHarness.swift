import Foundation
import Testing

/// A real walt-server-daemon for one test: its own state directory (embedded PostgreSQL) and
/// its own loopback address, so tests never clash with each other or with a real server and
/// send nothing off this machine. `stop()` (call it in `defer`) removes everything it made.
final class DaemonHarness: @unchecked Sendable {
    let address: String
    let stateDirectory: URL
    private let process = Process()
    private let logURL: URL

    /// Starts the daemon and waits until its RPC port answers. `reusing` restarts on the
    /// state directory and address of a daemon stopped with `stop(keepState: true)`.
    /// `serverConf`, if given, is written to `<state>/server.conf` and passed as `--config`.
    /// `environment` is added to the daemon's (`WALT_IMAGE_UNMOUNT_GRACE`).
    init(reusing previous: DaemonHarness? = nil, serverConf: String? = nil, environment: [String: String] = [:]) throws {
        address = previous?.address
            ?? "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
        // Short path: the PostgreSQL socket path must stay under 107 bytes.
        stateDirectory = previous?.stateDirectory ?? URL(fileURLWithPath: "/tmp/wt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        logURL = stateDirectory.appendingPathComponent("daemon.log")
        if !FileManager.default.fileExists(atPath: logURL.path) {
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        log.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: WaltBinary.path)
        process.arguments = ["--state-dir", stateDirectory.path, "--bind", address]
        if var serverConf {
            let confURL = stateDirectory.appendingPathComponent("server.conf")
            if !serverConf.contains("\nservices:") {
                // A test daemon restarts no real service, keeps its exports to itself and
                // leaves the host's firewall alone.
                serverConf += """

                    services:
                        dhcpd:
                            restart-command: /bin/true
                        named:
                            restart-command: /bin/true
                        nfsd:
                            exports-file: \(stateDirectory.path)/exports/walt.exports
                            persist-exports-file: \(stateDirectory.path)/exports/walt-persist.exports
                            reload-command: /bin/true
                        firewall:
                            enabled: false

                    """
            }
            if !serverConf.hasPrefix("images:") && !serverConf.contains("\nimages:") {
                // Its own podman store: a test never touches the host's images.
                let podman = stateDirectory.appendingPathComponent("podman")
                try FileManager.default.createDirectory(at: podman, withIntermediateDirectories: true)
                try Self.containersConf.write(to: podman.appendingPathComponent("containers.conf"),
                                              atomically: true, encoding: .utf8)
                serverConf += """

                    images:
                        podman-root: \(podman.path)/root
                        podman-runroot: \(podman.path)/run
                        containers-conf: \(podman.path)/containers.conf

                    """
            }
            try serverConf.write(to: confURL, atomically: true, encoding: .utf8)
            process.arguments! += ["--config", confURL.path]
        }
        var env = ProcessInfo.processInfo.environment
        env["WALT_PERSONALITY"] = "walt-server-daemon"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !portAnswers() {
            guard process.isRunning else { throw HarnessError(message: "daemon exited early:\n\(self.log)") }
            guard Date() < deadline else {
                stop()
                throw HarnessError(message: "daemon did not listen within 60 s:\n\(self.log)")
            }
            usleep(100_000)
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Runs `statement` with psql on the daemon's embedded cluster (its superuser is the
    /// daemon's own user, by peer authentication); returns psql's unaligned output, trimmed.
    /// Throws if psql fails, so a mistyped fixture cannot pass unnoticed.
    func sql(_ statement: String) throws -> String {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", "-h", stateDirectory.path + "/pg-socket", "-d", "walt", "-tA",
                          "-v", "ON_ERROR_STOP=1", "-c", statement]
        let output = Pipe()
        psql.standardOutput = output
        psql.standardError = output
        try psql.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw HarnessError(message: "psql failed: \(text)") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func portAnswers() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(12345).bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// SIGTERM, wait for the graceful stop (which stops PostgreSQL), then clean up; SIGKILL
    /// and a direct `pg_ctl stop` if it hangs.
    func stop(keepState: Bool = false) {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let data = stateDirectory.appendingPathComponent("postgresql/data").path
        if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            let pgctl = Process()
            pgctl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            pgctl.arguments = ["runuser", "-u", "postgres", "--", "bash", "-c",
                               "/usr/lib/postgresql/*/bin/pg_ctl stop -m immediate -D '\(data)'"]
            try? pgctl.run()
            pgctl.waitUntilExit()
        }
        if !keepState {
            Self.unmountAll(under: stateDirectory.path)
            try? FileManager.default.removeItem(at: stateDirectory)
        }
    }

    /// podman on this machine (runc, ulimits it may set, no network, files for events): the
    /// settings file the image builders and the testbed use too.
    static let containersConf: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("Scripts/images/containers.conf"), encoding: .utf8)) ?? ""
    }()

    /// Unmounts what a daemon that died left mounted under `directory` (image bind mounts,
    /// podman's overlays), deepest first, so that removing the directory cannot go through
    /// a mount into an image.
    static func unmountAll(under directory: String) {
        for point in mountPoints(under: directory).sorted(by: { $0.count > $1.count }) {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = ["-l", point]
            try? umount.run()
            umount.waitUntilExit()
        }
    }

    /// Mount points below `directory`, from the mount table. Read as bytes and decoded
    /// leniently: a strict UTF-8 read fails whole on one odd path that another test mounted,
    /// and an empty answer here once let a test see no mount at all.
    static func mountPoints(under directory: String) -> [String] {
        // A table always has the root: without it the read failed (tried three times).
        var text = ""
        for _ in 0..<3 where !text.contains(" / ") {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/mounts"))) ?? Data()
            text = String(decoding: bytes, as: UTF8.self)
        }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 1 && fields[1].hasPrefix(directory + "/") ? String(fields[1]) : nil
        }
    }

    /// The daemon's exit status once stopped.
    var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Runs walt-dhcp-event against this daemon.
    func dhcpEvent(_ arguments: [String]) throws -> WaltBinary.Outcome {
        try WaltBinary.run(arguments, personality: "walt-dhcp-event", environment: ["WALT_SERVER_DAEMON_HOST": address])
    }
}

/// The official Python client 10.0 (`make python-client`), configured for one daemon.
struct PythonClient {
    let home: URL
    let executable: String

    static func locate() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["WALT_PYTHON_CLIENT"], !explicit.isEmpty {
            return explicit
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidate = root.appendingPathComponent(".venv-walt-client/bin/walt").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw DaemonHarness.HarnessError(message: "the Python client 10.0 is not installed: run `make python-client`")
        }
        return candidate
    }

    init(server: String, username: String, in directory: URL) throws {
        executable = try Self.locate()
        home = directory.appendingPathComponent("home-\(username)")
        let config = home.appendingPathComponent(".walt")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "walt:\n    server: \(server)\n    username: \(username)\n"
            .write(to: config.appendingPathComponent("config"), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: [String]) throws -> WaltBinary.Outcome {
        try WaltBinary.run(arguments, executable: executable, environment: ["HOME": home.path])
    }
}
