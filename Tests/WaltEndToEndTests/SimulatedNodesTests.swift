import Foundation
import Testing

/// Simulated nodes (Scripts/testbed/sim-node.sh) on a testbed: they boot through the real
/// services, hold their bootup notification and send logs as WalT nodes do, and a node that
/// dies shows as not booted.
@Suite(.serialized, .enabled(if: Testbed.available, "needs root and the boot path's packages (Scripts/install-deps.sh)"))
struct SimulatedNodesTests {
    @Test func threeNodesBootLogAndOneDies() throws {
        let testbed = try Testbed()
        defer { testbed.down() }
        let models = ["rpi3": "rpi-3-b-plus", "pc1": "pc-x86-64", "rpi4": "rpi-4-b"]
        var names: [String: String] = [:]
        for (node, model) in models.sorted(by: { $0.key < $1.key }) {
            let mac = "02:57:41:00:00:\(node == "pc1" ? "01" : node == "rpi3" ? "03" : "04")"
            let outcome = try testbed.script(["node", testbed.directory.path, node, model, mac])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            names[node] = "\(node)-\(mac.split(separator: ":").suffix(3).joined())"
        }
        let walt = testbed.directory.appendingPathComponent("bin/walt").path
        func show() throws -> String {
            try testbed.inServer([walt, "node", "show", "--all"], home: testbed.home("ours")).stdout
        }
        func row(_ text: String, _ node: String) -> String {
            text.split(separator: "\n").first { $0.hasPrefix(names[node]! + " ") }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        }
        #expect(try testbed.waitFor("three booted nodes") {
            let text = try show()
            return models.allSatisfy { node, model in
                let line = row(text, node)
                return line.contains(model) && line.hasSuffix("yes")
            }
        })
        let python = try testbed.inServer([try PythonClient.locate(), "node", "show", "--all"], home: testbed.home("python"))
        #expect(python.stdout == (try show()))
        // Each node fetched its boot file over TFTP before notifying.
        #expect(testbed.log("rpi3.log").contains("boot file start.ipxe: #!ipxe"))

        // A line a node emits reaches a realtime reader (the Python client 10.0).
        let realtime = try testbed.watch([try PythonClient.locate(), "log", "show", "--realtime", "--nodes", "all-nodes"],
                                         home: testbed.home("python"), until: "\(names["pc1"]!).sim-node -> pc1 heartbeat")
        #expect(realtime.contains("\(names["pc1"]!).sim-node -> pc1 heartbeat"), "\(realtime)")

        // Our client's realtime display gets it too, and the history reads the same in both.
        let ours = try testbed.watch([walt, "log", "show", "--realtime", "--nodes", "all-nodes"],
                                     home: testbed.home("ours"), until: "\(names["rpi4"]!).sim-node -> rpi4 heartbeat")
        #expect(ours.contains("\(names["rpi4"]!).sim-node -> rpi4 heartbeat"), "\(ours)")
        // A closed range ending at one fixed second, through a checkpoint of the same date
        // for each user: both clients read the same records, however far apart they run.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let end = formatter.string(from: Date().addingTimeInterval(-1))
        for (client, user) in [(walt, "ours"), (try PythonClient.locate(), "python")] {
            let added = try testbed.inServer([client, "log", "add-checkpoint", "--date", end, "history-end"],
                                             home: testbed.home(user))
            #expect(added.status == 0, "\(user): \(added)")
        }
        let until = "--history=:history-end"
        let ourHistory = try testbed.inServer([walt, "log", "show", until, "--nodes", "all-nodes"], home: testbed.home("ours"))
        let theirHistory = try testbed.inServer([try PythonClient.locate(), "log", "show", until, "--nodes", "all-nodes"],
                                                home: testbed.home("python"))
        #expect(ourHistory.status == 0 && theirHistory.status == 0)
        #expect(ourHistory.stdout.contains("\(names["rpi3"]!).sim-node -> rpi3 booted (simulated node)"))
        #expect(ourHistory.stdout == theirHistory.stdout)
        let platform = try testbed.inServer([walt, "log", "show", "--history", "full", "--platform"], home: testbed.home("ours"))
        #expect(platform.stdout.contains("walt-server.platform.nodes -> node \(names["pc1"]!) is booted"))

        // log wait: the first matching line (ANY), a line of each node (ALL), or the timeout.
        let any = try testbed.inServer([walt, "log", "wait", "--nodes", "all-nodes", "heartbeat"], home: testbed.home("ours"))
        #expect(any.status == 0 && any.stdout.split(separator: "\n").count == 1, "\(any)")
        let all = try testbed.inServer([walt, "log", "wait", "--mode", "ALL", "--nodes", "all-nodes", "heartbeat"],
                                       home: testbed.home("ours"))
        #expect(all.status == 0)
        #expect(Set(names.values).allSatisfy { all.stdout.contains("\($0).sim-node -> ") }, "\(all.stdout)")
        // (Only ours: Foundation starts children with SIGALRM blocked, and the Python client's
        // --timeout relies on it. The text is upstream's.)
        let timedOut = try testbed.inServer([walt, "log", "wait", "--timeout", "2", "--nodes", "all-nodes", "no such line"],
                                            home: testbed.home("ours"))
        #expect(timedOut.status == 1 && timedOut.stdout == "Timeout was reached.\n", "\(timedOut)")

        // The node dies: its bootup connection ends, it shows as not booted.
        try testbed.script(["kill-node", testbed.directory.path, "pc1"])
        #expect(try testbed.waitFor("pc1 down") { row(try show(), "pc1").hasSuffix("NO") })
        #expect(row(try show(), "rpi3").hasSuffix("yes"))
    }
}

extension Testbed {
    /// Runs a long-lived client in the server's namespace until its output contains
    /// `marker` (at most 30 s), then stops it; returns what it printed.
    func watch(_ command: [String], home: URL, until marker: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + command
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = OutputBox()
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !output.text.contains(marker) && process.isRunning {
            usleep(100_000)
        }
        // SIGKILL: Foundation starts children with most signals blocked, SIGTERM included.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        return output.text
    }
}

final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
