import Foundation

/// A raw TCP client bound to a chosen 127.x source address, so the daemon sees it as a
/// particular device (a node-like peer for ports 12345 and 12347). Reads time out after
/// `timeout` seconds; `close()` in `defer`.
final class LoopbackPeer {
    let fd: Int32

    init(from source: String, to address: String, port: UInt16, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DaemonHarness.HarnessError(message: "socket() failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var local = Self.address(source, port: 0)
        var remote = Self.address(address, port: port)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else {
            Glibc.close(fd)
            throw DaemonHarness.HarnessError(message: "cannot connect \(source) -> \(address):\(port): errno \(errno)")
        }
    }

    private static func address(_ ip: String, port: UInt16) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &addr.sin_addr)
        return addr
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `count` bytes, EOF or the timeout.
    func receive(atMost count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = recv(fd, &buffer, count, 0)
        return n > 0 ? Array(buffer.prefix(n)) : []
    }

    /// One line without its newline, or nil on EOF or timeout first.
    func receiveLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    /// True when the daemon closed the connection (EOF) within the timeout.
    func readsEOF() -> Bool {
        var byte: UInt8 = 0
        for _ in 0..<1000 {
            let n = recv(fd, &byte, 1, 0)
            if n == 0 { return true }
            if n < 0 { return false }
        }
        return false
    }

    func close() { Glibc.close(fd) }
}

/// A Python client command left running (`walt log show --realtime`), read as it prints.
final class RunningClient: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var text = ""

    init(_ client: PythonClient, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: client.executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = client.home.path
        env["PYTHONUNBUFFERED"] = "1"
        env["LC_ALL"] = "C.UTF-8"
        process.environment = env
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.text += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    var printed: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }

    /// Waits (at most `timeout` seconds) until the output contains `needle`.
    func waitFor(_ needle: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if printed.contains(needle) { return true }
            usleep(20_000)
        }
        return printed.contains(needle)
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        output.fileHandleForReading.readabilityHandler = nil
    }
}
