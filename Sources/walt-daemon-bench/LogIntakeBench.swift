// Log intake on port 12347 (request 0, `NO_TIMESTAMPS`): several node-like connections
// push lines as fast as the daemon takes them, in one poll loop. Bounded by a line count and
// a time limit (sending stops at a chunk boundary, then `CLOSE`). Two figures: lines the
// daemon acknowledged (it closes the connection after `CLOSE`, once every line is in its
// log hub), and lines committed to PostgreSQL (`count_logs`, which flushes first).
#if canImport(Glibc)
import Glibc
#endif

struct LogIntakeBench {
    static let stream = "bench-intake"
    static let linesPerChunk = 1000

    /// One sender: its socket, the chunk being written, its counters.
    private final class Sender {
        let socket: LoopbackSocket
        let index: Int
        var quota: Int
        var chunk: [UInt8]
        var chunkLines = 0
        var offset = 0
        var linesSent = 0
        var closing = false
        var finished = false

        init(socket: LoopbackSocket, index: Int, quota: Int) {
            self.socket = socket
            self.index = index
            self.quota = quota
            chunk = Array("0\n\(LogIntakeBench.stream)\nNO_TIMESTAMPS\n".utf8)
        }

        /// The next chunk of whole lines (about 70 bytes each), or CLOSE.
        func refill(stop: Bool) {
            linesSent += chunkLines
            offset = 0
            chunk.removeAll(keepingCapacity: true)
            let remaining = quota - linesSent
            if stop || remaining <= 0 {
                chunk.append(contentsOf: "CLOSE\n".utf8)
                chunkLines = 0
                closing = true
                return
            }
            chunkLines = min(remaining, LogIntakeBench.linesPerChunk)
            for line in linesSent..<(linesSent + chunkLines) {
                chunk.append(contentsOf: "sender \(index) line \(line) load=0.\(line % 97) step=\(line % 13) status=ok\n".utf8)
            }
        }
    }

    let daemon: BenchDaemon
    let rpc: RPCBench

    /// `sources` are registered node addresses, one connection each.
    func run(sources: [String], totalLines: Int, timeLimit: Double) throws {
        let quota = totalLines / sources.count
        let senders = try sources.enumerated().map { index, source throws(BenchFailure) in
            Sender(socket: try LoopbackSocket(from: source, to: daemon.address, port: 12347), index: index, quota: quota)
        }
        let start = Clock.now()
        let stopSending = start + timeLimit
        let giveUp = stopSending + 60
        var polls = senders.map { pollfd(fd: $0.socket.fd, events: Int16(POLLOUT), revents: 0) }
        while senders.contains(where: { !$0.finished }) {
            guard !BenchDaemon.interrupted, Clock.now() < giveUp else {
                throw BenchFailure("log intake: the daemon did not take the lines in time")
            }
            for (i, sender) in senders.enumerated() {
                polls[i].events = sender.finished ? 0 : Int16(sender.closing && sender.offset == sender.chunk.count ? POLLIN : POLLOUT)
            }
            guard poll(&polls, nfds_t(polls.count), 200) >= 0 || errno == EINTR else { throw BenchFailure("poll: errno \(errno)") }
            for (i, sender) in senders.enumerated() where polls[i].revents != 0 && !sender.finished {
                if sender.offset < sender.chunk.count {
                    sender.offset += try sender.socket.sendSome(sender.chunk, from: sender.offset)
                    if sender.offset == sender.chunk.count && !sender.closing { sender.refill(stop: Clock.now() >= stopSending) }
                } else {
                    // CLOSE sent: the daemon hangs up once it has taken every line.
                    while true {
                        guard let bytes = try sender.socket.receiveSome() else {
                            sender.finished = true
                            break
                        }
                        if bytes.isEmpty { break }
                    }
                }
            }
        }
        let acknowledged = Clock.now() - start
        let sent = senders.reduce(0) { $0 + $1.linesSent }
        let committed = try rpc.countLogs(stream: Self.stream)
        let stored = Clock.now() - start
        let countStart = Clock.now()
        _ = try rpc.countLogs(stream: Self.stream)
        let countQuery = Clock.now() - countStart
        print("log intake: \(senders.count) connections, \(Format.grouped(sent)) lines of ~70 bytes "
              + "(limit \(Format.grouped(totalLines)) lines or \(Format.fixed(timeLimit, 0)) s of sending)")
        print("  acknowledged (all connections closed after CLOSE)  \(Format.fixed(acknowledged, 2)) s  "
              + "\(Format.grouped(Int(Double(sent) / acknowledged))) lines/s")
        print("  committed (count_logs = \(Format.grouped(committed)))            \(Format.fixed(stored, 2)) s  "
              + "\(Format.grouped(Int(Double(committed) / stored))) lines/s "
              + "(includes one count_logs query: \(Format.fixed(countQuery * 1000, 0)) ms)")
        if committed != sent { print("  NOTE: \(Format.grouped(sent - committed)) lines sent but not counted") }
    }
}
