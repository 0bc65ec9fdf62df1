import Foundation
import WaltCommon

/// A scripted WalT server whose calls call back into the client, for the registry
/// credential callbacks. `FakeWaltServer` answers through `RPCServerStateMachine`, which
/// (as our daemon) refuses a client call while a callback is unanswered; upstream's hub
/// accepts one, and the client makes one: `registry_login` while it answers
/// `prompt_missing_registry_credentials`. So this server frames messages itself and
/// serves calls nested in callbacks, each with the same script.
final class CallbackFakeServer: @unchecked Sendable {
    typealias Call = FakeWaltServer.Call
    /// Runs one client call; `requester` calls back into that client.
    typealias Script = @Sendable (Call, Requester) throws -> PyValue

    /// Upstream's `requester`: callbacks into the client of one connection.
    final class Requester {
        fileprivate let connection: Connection
        fileprivate init(_ connection: Connection) { self.connection = connection }

        /// Sends `path(args)` to the client and returns its answer, running the calls the
        /// client makes meanwhile.
        func call(_ path: String, _ args: [PyValue] = []) throws -> PyValue {
            try connection.send(.apiCall(path: path, args: args, kwargs: []))
            while true {
                switch try connection.next() {
                case .result(let value): return value
                case .apiCall(let nestedPath, let nestedArgs, let kwargs):
                    try connection.serve(Call(path: nestedPath, args: nestedArgs, kwargs: kwargs))
                default: throw FakeWaltServer.Failure(description: "unexpected message during a callback")
                }
            }
        }
    }

    private(set) var address = ""
    private var listener: Int32 = -1
    private let lock = NSLock()
    private var recorded: [Call] = []
    private let script: Script

    init(script: @escaping Script) throws {
        self.script = script
        for _ in 0..<20 where listener < 0 {
            address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
            listener = FakeWaltServer.listen(address, WaltPorts.rpc) ?? -1
        }
        guard listener >= 0 else { throw FakeWaltServer.Failure(description: "no free 127/8 address for 12345") }
        Thread.detachNewThread { [self, listener] in
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { if errno == EINTR { continue } else { return } }
                Thread.detachNewThread { try? Connection(fd: fd, server: self).run() }
            }
        }
    }

    /// Every client call, nested ones included, in order.
    var calls: [Call] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    fileprivate func run(_ call: Call, _ requester: Requester) throws -> PyValue {
        lock.lock()
        recorded.append(call)
        lock.unlock()
        return try script(call, requester)
    }
}

/// One CSAPI connection: handshake, SET_MODE, then calls, read with blocking calls.
private final class Connection {
    let fd: Int32
    let server: CallbackFakeServer
    var framer = RPCFramer()

    init(fd: Int32, server: CallbackFakeServer) {
        self.fd = fd
        self.server = server
    }

    deinit { close(fd) }

    func run() throws {
        guard try line() == "10", try line() == "CSAPI" else { return }
        FakeStream.sendAll(fd, Array("10.0\n".utf8))
        guard case .setMode(let mode) = try next(), let newMode = RPCMode(rawValue: mode) else { return }
        framer.switchMode(to: newMode)
        while case .apiCall(let path, let args, let kwargs) = try next() {
            try serve(FakeWaltServer.Call(path: path, args: args, kwargs: kwargs))
        }
    }

    /// Runs the script for `call` and sends its RESULT.
    func serve(_ call: FakeWaltServer.Call) throws {
        try send(.result(try server.run(call, CallbackFakeServer.Requester(self))))
    }

    func send(_ message: RPCMessage) throws {
        FakeStream.sendAll(fd, try RPCFramer.encode(message, mode: framer.mode))
    }

    /// The next message; throws at EOF or on garbage.
    func next() throws -> RPCMessage {
        while true {
            if let value = try framer.nextValue() {
                guard let message = RPCMessage(value) else { throw FakeWaltServer.Failure(description: "not a message: \(value)") }
                return message
            }
            try fill()
        }
    }

    private func line() throws -> String {
        while true {
            if let bytes = try framer.nextLine() { return String(decoding: bytes, as: UTF8.self) }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { throw FakeWaltServer.Failure(description: "client gone") }
        framer.feed(chunk[..<count])
    }
}
