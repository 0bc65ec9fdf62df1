// Realtime delivery latency: a `REQ_DUMP_LOGS` subscriber (realtime, no history) and a
// node-like sender in one loop. Each line is numbered; latency is from just before its
// `send` to the decoded record at the subscriber, both on this process's monotonic clock.
// Lines are paced at a fixed rate, so the figure is about delivery, not about a backlog.
#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

struct RealtimeBench {
    static let stream = "bench-rt"

    let daemon: BenchDaemon

    func run(source: String, lines: Int, rate: Double) throws {
        let subscriber = try LoopbackSocket(from: nil, to: daemon.address, port: 12347)
        let parameters = PyValue.strDict([
            "history": .none, "realtime": true, "issuers": .none, "streams_regexp": .str("^\(Self.stream)$"),
            "logline_regexp": .none, "timestamps_format": "float-s",
        ])
        try subscriber.sendAll(Array("1\n".utf8) + PickleEncoder.encode(parameters))
        let sender = try LoopbackSocket(from: source, to: daemon.address, port: 12347)
        try sender.sendAll(Array("0\n\(Self.stream)\nNO_TIMESTAMPS\n".utf8))

        var decoder = PickleDecoder()
        var sentAt = [Double](repeating: 0, count: lines)
        var latency = Samples()
        var warmedUp = false
        /// Reads what arrived and records latencies; true once a warm-up line came through.
        func drain(waitMilliseconds: Int32) throws {
            guard subscriber.wait(for: Int16(POLLIN), milliseconds: waitMilliseconds) else { return }
            let now = Clock.now()
            guard let bytes = try subscriber.receiveSome() else { throw BenchFailure("the subscriber stream ended") }
            decoder.feed(bytes)
            while let record = try decoder.next() {
                guard let line = record["line"]?.stringValue else { continue }
                if line.hasPrefix("warmup") { warmedUp = true }
                if line.hasPrefix("rt "), let number = Int(line.dropFirst(3)), number < lines, sentAt[number] > 0 {
                    latency.add(now - sentAt[number])
                }
            }
        }

        // Until the subscription is in place lines may be missed: send warm-up lines first.
        let warmupDeadline = Clock.now() + 10
        while !warmedUp {
            guard Clock.now() < warmupDeadline, !BenchDaemon.interrupted else {
                throw BenchFailure("the realtime subscriber got nothing within 10 s")
            }
            try sender.sendAll(Array("warmup\n".utf8))
            try drain(waitMilliseconds: 50)
        }
        let start = Clock.now()
        let interval = 1 / rate
        for number in 0..<lines {
            let due = start + Double(number) * interval
            while Clock.now() < due {
                try drain(waitMilliseconds: Int32(max(0, (due - Clock.now()) * 1000)))
            }
            guard !BenchDaemon.interrupted else { throw BenchFailure("interrupted") }
            sentAt[number] = Clock.now()
            try sender.sendAll(Array("rt \(number)\n".utf8))
        }
        let tailDeadline = Clock.now() + 3
        while latency.count < lines && Clock.now() < tailDeadline { try drain(waitMilliseconds: 50) }
        try sender.sendAll(Array("CLOSE\n".utf8))

        print("realtime delivery: \(Format.grouped(lines)) lines at \(Format.fixed(rate, 0)) lines/s, "
              + "\(Format.grouped(latency.count)) delivered")
        print("  send -> subscriber  \(latency.summaryMilliseconds)")
    }
}
