#if canImport(Glibc)
import Glibc
#endif

/// Two sockets joined both ways by a `poll()` loop that never blocks on either: what one
/// side cannot take yet waits in a buffer (reading from the other pauses past a limit).
/// An EOF is passed on as a half-close; the relay is done when both directions are, or
/// when either socket fails.
final class SocketRelay {
    private struct Direction {
        let from: Int32
        let to: Int32
        var buffer: [UInt8]
        var reading = true
        var closed = false
        /// Reading stops while this much waits.
        static let limit = 1 << 16

        var wantsRead: Bool { reading && buffer.count < Self.limit }
        var isDone: Bool { !reading && buffer.isEmpty }
    }

    private var directions: [Direction]
    private(set) var failed = false

    /// `initialToFirst`: bytes already received for `first` (read past a status line).
    init(_ first: Int32, _ second: Int32, initialToFirst: [UInt8] = []) {
        directions = [
            Direction(from: first, to: second, buffer: []),
            Direction(from: second, to: first, buffer: initialToFirst),
        ]
    }

    var isFinished: Bool { failed || directions.allSatisfy(\.isDone) }

    /// The two entries to poll: `first` then `second`.
    var pollEntries: [pollfd] {
        [entry(0), entry(1)]
    }

    private func entry(_ index: Int) -> pollfd {
        let reads = directions[index].wantsRead ? Int16(POLLIN) : 0
        let writes = directions[1 - index].buffer.isEmpty ? 0 : Int16(POLLOUT)
        return pollfd(fd: directions[index].from, events: reads | writes, revents: 0)
    }

    /// Acts on what poll reported for `pollEntries`.
    func handle(_ entries: ArraySlice<pollfd>) {
        for (offset, entry) in entries.enumerated() where !failed {
            if entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 && directions[offset].wantsRead {
                receive(offset)
            }
            if entry.revents & Int16(POLLOUT) != 0 { flush(1 - offset) }
        }
        for index in directions.indices where directions[index].isDone && !directions[index].closed {
            directions[index].closed = true
            _ = shutdown(directions[index].to, Int32(SHUT_WR))
        }
    }

    private func receive(_ index: Int) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(directions[index].from, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count > 0 {
            directions[index].buffer += chunk[..<count]
            flush(index)
        } else if count == 0 {
            directions[index].reading = false
        } else if errno != EINTR && errno != EAGAIN {
            failed = true
        }
    }

    private func flush(_ index: Int) {
        guard case .sent(let count) = StreamConnection.sendSome(directions[index].to, directions[index].buffer[...]) else {
            failed = true
            return
        }
        directions[index].buffer.removeFirst(count)
    }
}
