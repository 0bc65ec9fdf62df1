// RPC figures on port 12345: `register_device` (SSAPI, one connection per call, as
// walt-dhcp-event makes) and `show_nodes` (CSAPI) once the nodes are there.
import WaltCommon

struct RPCBench {
    let daemon: BenchDaemon

    static let nodeVCI = "walt.node.pc-x86-64"

    /// Node `index`'s (ip, mac): 192.168.152.0/22, locally administered MACs.
    static func node(_ index: Int) -> (ip: String, mac: String) {
        func hex(_ byte: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String([digits[byte / 16], digits[byte % 16]])
        }
        let ip = "192.168.\(152 + index / 250).\(index % 250 + 2)"
        return (ip, "52:54:00:b0:\(hex(index / 256 % 256)):\(hex(index % 256))")
    }

    /// SSAPI `register_device(vci, uci, ip, mac, name)` on a fresh link.
    /// Returns (connect + handshake, call) durations.
    func register(vci: String, ip: String, mac: String, name: String = "") throws -> (Double, Double) {
        let start = Clock.now()
        let link = try RPCClientLink(host: daemon.address, api: "SSAPI")
        let connected = Clock.now()
        _ = try link.call("register_device", [.str(vci), .str(""), .str(ip), .str(mac), .str(name)])
        return (connected - start, Clock.now() - connected)
    }

    /// Registers `count` nodes and prints the figures.
    func registerNodes(_ count: Int) throws {
        var handshakes = Samples()
        var calls = Samples()
        let start = Clock.now()
        for index in 0..<count {
            guard !BenchDaemon.interrupted else { throw BenchFailure("interrupted") }
            let (ip, mac) = Self.node(index)
            let (handshake, call) = try register(vci: Self.nodeVCI, ip: ip, mac: mac)
            handshakes.add(handshake)
            calls.add(call)
        }
        let total = Clock.now() - start
        print("register_device x\(Format.grouped(count)), a new SSAPI connection each (as walt-dhcp-event): "
              + "total \(Format.fixed(total, 2)) s, \(Format.fixed(Double(count) / total, 0)) calls/s")
        print("  call             \(calls.summaryMilliseconds)")
        print("  connect+version  \(handshakes.summaryMilliseconds)")
    }

    /// CSAPI `show_nodes(username, show_all=True)`: `calls` round trips on one link, then
    /// `fresh` on a new link each (what one `walt node show --all` costs the daemon).
    func showNodes(calls: Int, fresh: Int, expectedNodes: Int) throws {
        let link = try RPCClientLink(host: daemon.address, api: "CSAPI")
        let first = try link.call("show_nodes", [.str("bench"), .bool(true)])
        guard let text = first.stringValue else { throw BenchFailure("show_nodes returned \(first.typeName)") }
        let listed = text.split(separator: "\n").filter { $0.contains("pc-x86-64") }.count
        var onLink = Samples()
        for _ in 0..<calls {
            guard !BenchDaemon.interrupted else { throw BenchFailure("interrupted") }
            let start = Clock.now()
            _ = try link.call("show_nodes", [.str("bench"), .bool(true)])
            onLink.add(Clock.now() - start)
        }
        var whole = Samples()
        for _ in 0..<fresh {
            guard !BenchDaemon.interrupted else { throw BenchFailure("interrupted") }
            let start = Clock.now()
            let own = try RPCClientLink(host: daemon.address, api: "CSAPI")
            _ = try own.call("show_nodes", [.str("bench"), .bool(true)])
            whole.add(Clock.now() - start)
        }
        print("show_nodes(show_all) with \(Format.grouped(listed)) of \(Format.grouped(expectedNodes)) nodes listed "
              + "(\(Format.grouped(text.utf8.count)) bytes):")
        print("  x\(calls) on one link           \(onLink.summaryMilliseconds)")
        print("  x\(fresh) connect+version+call  \(whole.summaryMilliseconds)")
    }

    /// CSAPI `count_logs(history=(None, None), streams_regexp=...)`: lines in PostgreSQL
    /// (the daemon flushes what it holds first).
    func countLogs(stream: String) throws -> Int {
        let link = try RPCClientLink(host: daemon.address, api: "CSAPI")
        let result = try link.call("count_logs", [], kwargs: [
            (.str("history"), .tuple([.none, .none])),
            (.str("streams_regexp"), .str("^" + stream + "$")),
        ])
        guard let count = try? result.exactly(Int.self) else { throw BenchFailure("count_logs returned \(result)") }
        return count
    }
}
