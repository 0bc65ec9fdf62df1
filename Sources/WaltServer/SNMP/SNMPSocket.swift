#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A blocking UDP socket connected to one agent (IPv4), so the kernel hands us only
/// datagrams from that address and port. Closed when released.
final class SNMPSocket {
    private let fd: Int32
    /// The largest UDP payload.
    private static let bufferSize = 65_535

    init(host: String, port: UInt16) throws(SNMPError) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw .socket("\(host) is not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .socket("connect to \(host):\(port): \(reason)")
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func send(_ datagram: [UInt8]) throws(SNMPError) {
        var reason = ""
        for _ in 0..<4 {
            let sent = datagram.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent == datagram.count { return }
            reason = sent < 0 ? String(cString: strerror(errno)) : "short write"
            // ECONNREFUSED reports (once) an ICMP port-unreachable for an earlier datagram.
            guard sent < 0, errno == EINTR || errno == ECONNREFUSED else { break }
        }
        throw .socket("send: \(reason)")
    }

    /// The next datagram, or nil once `deadline` (`SNMPSocket.now()` seconds) has passed.
    /// An ICMP port-unreachable is not an answer: the agent may be restarting, so we keep
    /// waiting as net-snmp does.
    func receive(until deadline: Double) throws(SNMPError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        while true {
            let remaining = deadline - Self.now()
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 3_600_000).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw .socket("poll: \(String(cString: strerror(errno)))")
            }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count >= 0 { return Array(buffer[..<count]) }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNREFUSED { continue }
            throw .socket("recv: \(String(cString: strerror(errno)))")
        }
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
