import Foundation
import WaltCommon

/// A scripted WalT server for the node-command tests: the RPC port (12345, CSAPI through
/// `RPCServerStateMachine`) answers each call from `answer` and records it; the stream port
/// (12347) hands each connection to `stream`. Both listen on a random 127/8 address, as
/// the ports are fixed and other tests run daemons beside us.
final class FakeWaltServer: @unchecked Sendable {
    struct Call: Equatable, CustomStringConvertible {
        let path: String
        let args: [PyValue]
        let kwargs: [(key: PyValue, value: PyValue)]

        static func == (lhs: Call, rhs: Call) -> Bool {
            lhs.path == rhs.path && lhs.args == rhs.args && PyValue.dict(lhs.kwargs) == PyValue.dict(rhs.kwargs)
        }

        var description: String { "\(path)\(args) \(PyValue.dict(kwargs))" }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private(set) var address = ""
    private var listeners: [Int32] = []
    private let lock = NSLock()
    private var recorded: [Call] = []
    /// The result of a call; nil never answers (a wait that does not end).
    let answer: @Sendable (Call) -> PyValue?
    let stream: @Sendable (FakeStream) -> Void

    init(answer: @escaping @Sendable (Call) -> PyValue?, stream: @escaping @Sendable (FakeStream) -> Void = { _ in }) throws {
        self.answer = answer
        self.stream = stream
        for _ in 0..<20 {
            address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
            if let rpc = Self.listen(address, WaltPorts.rpc) {
                if let streams = Self.listen(address, WaltPorts.streams) {
                    listeners = [rpc, streams]
                    break
                }
                close(rpc)
            }
        }
        guard listeners.count == 2 else { throw Failure(description: "no free 127/8 address for 12345 and 12347") }
        let (rpc, streams) = (listeners[0], listeners[1])
        Thread.detachNewThread { [self] in acceptLoop(rpc) { self.serveRPC($0) } }
        Thread.detachNewThread { [self] in acceptLoop(streams) { fd in self.stream(FakeStream(fd: fd)) } }
    }

    var calls: [Call] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    var callPaths: [String] { calls.map(\.path) }

    /// Stops listening and removes the HOMEs made by `makeHome`.
    func stop() {
        for fd in listeners { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
        listeners = []
        for home in homes { try? FileManager.default.removeItem(at: home) }
    }

    private var homes: [URL] = []

    /// A HOME whose ~/.walt/config points at this server, as user alice.
    func makeHome() throws -> URL {
        let home = URL(fileURLWithPath: "/tmp/wfs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".walt"), withIntermediateDirectories: true)
        try "walt:\n    server: \(address)\n    username: alice\n"
            .write(to: home.appendingPathComponent(".walt/config"), atomically: true, encoding: .utf8)
        homes.append(home)
        return home
    }

    /// A listening TCP socket on `address:port`, or nil (shared with `CallbackFakeServer`).
    static func listen(_ address: String, _ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, address, &sin.sin_addr)
        let bound = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private func acceptLoop(_ listener: Int32, _ serve: @escaping @Sendable (Int32) -> Void) {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { serve(fd) }
        }
    }

    private func serveRPC(_ fd: Int32) {
        defer { close(fd) }
        var machine = RPCServerStateMachine(allowedAPIs: [.csapi])
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            var actions = machine.received(buffer[..<count])
            while !actions.isEmpty {
                switch actions.removeFirst() {
                case .send(let bytes):
                    FakeStream.sendAll(fd, bytes)
                case .call(let path, let args, let kwargs):
                    let call = Call(path: path, args: args, kwargs: kwargs)
                    lock.lock()
                    recorded.append(call)
                    lock.unlock()
                    if let value = answer(call), let bytes = try? machine.result(value) {
                        FakeStream.sendAll(fd, bytes)
                        actions += machine.received([UInt8]())   // what the client sent after its call
                    }
                case .close:
                    return
                case .modeChanged, .callbackResult:
                    break
                }
            }
        }
    }
}

/// One connection to the fake stream port, read with blocking calls from its own thread.
final class FakeStream: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    deinit { close(fd) }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { WriteAll.write(fd, $0, socket: true) }
    }

    func send(_ text: String) { Self.sendAll(fd, Array(text.utf8)) }
    func send(_ bytes: [UInt8]) { Self.sendAll(fd, bytes) }

    /// Reads more; false at EOF.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer += chunk[..<count]
        return true
    }

    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0a) {
                defer { buffer.removeSubrange(...newline) }
                return String(decoding: buffer[..<newline], as: UTF8.self)
            }
            guard fill() else { return nil }
        }
    }

    /// The request id line.
    func readRequest() -> StreamRequest? {
        readLine().flatMap { StreamRequest(line: Array($0.utf8)) }
    }

    func readPickle() -> PyValue? {
        while true {
            var decoder = PickleDecoder()
            decoder.feed(buffer)
            if let value = try? decoder.next() {
                buffer.removeFirst(buffer.count - decoder.bufferedByteCount)
                return value
            }
            guard fill() else { return nil }
        }
    }

    /// Everything until the client half-closes or closes.
    func readToEOF() -> [UInt8] {
        while fill() {}
        defer { buffer = [] }
        return buffer
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}

/// The built `walt` (WALT_BIN, else next to the test bundle), run with a HOME.
enum WaltProcess {
    static var path: String {
        ProcessInfo.processInfo.environment["WALT_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("walt").path
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `walt arguments` with pipes, feeding `stdin`; `interrupt` sends SIGINT after
    /// that many seconds.
    static func run(_ arguments: [String], home: URL, stdin: String = "", directory: URL? = nil,
                    interruptAfter interrupt: Double? = nil, timeout: Double = 30) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment.removeValue(forKey: "WALT_PERSONALITY")
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        nonisolated(unsafe) var outData = Data()
        let readers = [
            Thread { errData = err.fileHandleForReading.readDataToEndOfFile() },
            Thread { outData = out.fileHandleForReading.readDataToEndOfFile() },
        ]
        readers.forEach { $0.start() }
        let start = Date()
        var interrupted = false
        while process.isRunning {
            if let interrupt, !interrupted, Date().timeIntervalSince(start) > interrupt {
                kill(process.processIdentifier, SIGINT)
                interrupted = true
            }
            if Date().timeIntervalSince(start) > timeout {
                kill(process.processIdentifier, SIGKILL)
                throw FakeWaltServer.Failure(description: "walt \(arguments) did not finish in \(timeout) s")
            }
            usleep(5_000)
        }
        while readers.contains(where: { !$0.isFinished }) { usleep(1_000) }
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}
