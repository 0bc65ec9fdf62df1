#if canImport(Glibc)
import Glibc
#endif

/// A TCP client socket with blocking I/O and a bounded connect, for the short-lived
/// personalities (walt, walt-dhcp-event): no event loop, no threads.
public final class BlockingSocket {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public let fd: Int32

    /// Connects to `host:port` (name or address), giving up after `timeoutMilliseconds`.
    public init(host: String, port: Int, timeoutMilliseconds: Int32) throws(Failure) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw Failure("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if Self.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen, timeoutMilliseconds, &lastError) {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                self.fd = fd
                return
            }
            close(fd)
        }
        throw Failure("cannot connect to \(host):\(port): \(lastError)")
    }

    /// Takes over `fd`, a connected socket (tests use one end of a socketpair).
    init(connected fd: Int32) {
        self.fd = fd
    }

    private static func connect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                _ timeout: Int32, _ error: inout String) -> Bool {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { error = String(cString: strerror(errno)); return false }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, timeout)
            guard ready > 0 else { error = ready == 0 ? "timed out" : String(cString: strerror(errno)); return false }
            var soError: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &size)
            guard soError == 0 else { error = String(cString: strerror(soError)); return false }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return true
    }

    deinit { close(fd) }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(Failure) {
        let error = bytes.withUnsafeBytes { WriteAll.write(fd, $0, socket: true) }
        if error != 0 {
            throw Failure("connection lost while sending: \(String(cString: strerror(error)))")
        }
    }

    /// Up to `maximum` bytes; empty at EOF.
    ///
    /// The bytes land in uninitialised storage: zeroing the 64 KB first took a sixth of the
    /// page faults of a `walt node show`, for an answer of 1.5 KB. They are returned in a
    /// copy of their own size, not in the 64 KB buffer.
    public func receive(maximum: Int = 65536) throws(Failure) -> [UInt8] {
        var error: Int32 = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: maximum) { storage, count in
            var n: Int
            repeat {
                n = recv(fd, storage.baseAddress, maximum, 0)
            } while n < 0 && errno == EINTR
            if n < 0 { error = errno }
            count = max(n, 0)
        }
        if error != 0 { throw Failure("connection lost: \(String(cString: strerror(error)))") }
        return buffer.withUnsafeBufferPointer { Array($0) }
    }

    /// Waits up to `milliseconds` for data (or EOF) to read.
    public func waitReadable(milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }
}
