// A TCP connection from a chosen 127.x source address, so the daemon takes the benchmark
// for a registered node on port 12347. Connects blocking (bounded), then runs
// non-blocking for the poll loops of the log benchmarks.
#if canImport(Glibc)
import Glibc
#endif

final class LoopbackSocket {
    let fd: Int32

    /// Only 127.0.0.0/8 addresses are accepted: the benchmark sends nothing off this machine.
    init(from source: String?, to address: String, port: UInt16) throws(BenchFailure) {
        guard Self.isLoopback(address), source.map(Self.isLoopback) ?? true else {
            throw BenchFailure("refusing a non-loopback address \(source ?? "") -> \(address)")
        }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("socket(): errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let source {
            var local = Self.address(source, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(fd)
                throw BenchFailure("cannot bind \(source): errno \(errno)")
            }
        }
        var remote = Self.address(address, port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw BenchFailure("cannot connect \(source ?? "*") -> \(address):\(port): errno \(errno)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(fd) }

    static func isLoopback(_ ip: String) -> Bool {
        var addr = in_addr()
        return inet_pton(AF_INET, ip, &addr) == 1 && UInt32(bigEndian: addr.s_addr) >> 24 == 127
    }

    private static func address(_ ip: String, port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &addr.sin_addr)
        return addr
    }

    /// Writes what the socket takes now from `bytes[offset...]`: the count, 0 when it
    /// would block. Throws on a lost connection.
    func sendSome(_ bytes: [UInt8], from offset: Int) throws(BenchFailure) -> Int {
        let n = bytes.withUnsafeBytes { raw in
            send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        }
        if n >= 0 { return n }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
        throw BenchFailure("send: errno \(errno)")
    }

    /// Sends all of `bytes`, waiting for room at most `timeout` seconds.
    func sendAll(_ bytes: [UInt8], timeout: Double = 10) throws(BenchFailure) {
        var offset = 0
        let deadline = Clock.now() + timeout
        while offset < bytes.count {
            let n = try sendSome(bytes, from: offset)
            offset += n
            if n == 0 {
                guard Clock.now() < deadline else { throw BenchFailure("send timed out") }
                _ = wait(for: Int16(POLLOUT), milliseconds: 100)
            }
        }
    }

    /// What is readable now: nil at EOF, empty when nothing is there.
    func receiveSome(maximum: Int = 1 << 16) throws(BenchFailure) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, maximum, 0) }
        if n > 0 { return Array(buffer[..<n]) }
        if n == 0 { return nil }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return [] }
        throw BenchFailure("recv: errno \(errno)")
    }

    /// True when `events` are ready within `milliseconds`.
    func wait(for events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }
}
