// Daemon benchmark (`make bench`): starts the given `walt` binary as walt-server-daemon on a
// random 127.x address with a throwaway state directory (embedded PostgreSQL), then prints
// register_device, show_nodes, log intake and realtime delivery figures. Asserts nothing;
// bounded in counts and time (a watchdog alarm); talks to loopback only; always stops the
// daemon and removes its directory.
#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

struct Options {
    var walt = ""
    var nodes = 1000
    var showCalls = 200
    var freshShowCalls = 50
    var senders = 4
    var logLines = 500_000
    var logSeconds = 30.0
    var realtimeLines = 2000
    var realtimeRate = 1000.0

    static let usage = """
        usage: walt-daemon-bench --walt PATH [--nodes N] [--show-calls N] [--senders N]
                                 [--log-lines N] [--log-seconds S] [--rt-lines N] [--rt-rate N]
        """

    init(_ arguments: [String]) throws(BenchFailure) {
        var rest = arguments[...]
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchFailure(Self.usage) }
            let number = Double(value)
            switch name {
            case "--walt": walt = value
            case "--nodes": nodes = Int(number ?? -1)
            case "--show-calls": showCalls = Int(number ?? -1)
            case "--senders": senders = Int(number ?? -1)
            case "--log-lines": logLines = Int(number ?? -1)
            case "--log-seconds": logSeconds = number ?? -1
            case "--rt-lines": realtimeLines = Int(number ?? -1)
            case "--rt-rate": realtimeRate = number ?? -1
            default: throw BenchFailure(Self.usage)
            }
        }
        // Bounds: at most 5,000 nodes, 1,000,000 lines, 120 s of sending, 10,000 timed lines.
        guard !walt.isEmpty, (1...5000).contains(nodes), (1...2000).contains(showCalls), (1...16).contains(senders),
              (1...1_000_000).contains(logLines), logSeconds > 0 && logSeconds <= 120,
              (1...10_000).contains(realtimeLines), realtimeRate >= 10 && realtimeRate <= 10_000
        else { throw BenchFailure(Self.usage) }
    }
}

/// The addresses next to the daemon's: registered as nodes, so it takes their logs.
func senderAddresses(of daemon: BenchDaemon, count: Int) -> [String] {
    let parts = daemon.address.split(separator: ".").map { Int($0) ?? 0 }
    return (1...count).map { "127.\(parts[1]).\(parts[2]).\(parts[3] + $0)" }
}

func run(_ options: Options) throws {
    let startup = Clock.now()
    let daemon = try BenchDaemon(walt: options.walt)
    defer { daemon.stop() }
    print("walt-server-daemon on \(daemon.address) (embedded PostgreSQL in \(daemon.stateDirectory)), "
          + "ready in \(Format.fixed(Clock.now() - startup, 1)) s; \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) cores")
    do {
        let rpc = RPCBench(daemon: daemon)
        try rpc.registerNodes(options.nodes)
        try rpc.showNodes(calls: options.showCalls, fresh: options.freshShowCalls, expectedNodes: options.nodes)

        // Log senders, registered after show_nodes so it lists exactly `nodes` nodes.
        let sources = senderAddresses(of: daemon, count: options.senders + 1)
        for (index, ip) in sources.enumerated() {
            _ = try rpc.register(vci: RPCBench.nodeVCI, ip: ip, mac: "52:54:00:b1:00:\(index < 10 ? "0" : "")\(index)",
                                 name: "bench-sender-\(index)")
        }
        try LogIntakeBench(daemon: daemon, rpc: rpc)
            .run(sources: Array(sources.dropLast()), totalLines: options.logLines, timeLimit: options.logSeconds)
        try RealtimeBench(daemon: daemon).run(source: sources.last!, lines: options.realtimeLines, rate: options.realtimeRate)
    } catch {
        StandardStream.error.write("--- daemon log (end) ---\n\(daemon.logTail())\n")
        throw error
    }
}

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    // The whole run: startup, registrations, sending and draining, with room to spare.
    BenchDaemon.installSignalHandlers(watchdogSeconds: 600)
    try run(options)
    alarm(0)
} catch {
    alarm(0)
    StandardStream.error.write("walt-daemon-bench: \(error)\n")
    exit(1)
}
