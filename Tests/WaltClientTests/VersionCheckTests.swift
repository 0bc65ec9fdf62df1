import Foundation
import Testing
import WaltCommon

/// The first read-only call of a command leaves with the handshake; any other call waits
/// for the server's version line, so a server of another version never acts on it.
@Suite struct VersionCheckTests {
    /// A server that reads for a while before it sends its version line, then answers a
    /// call that arrived meanwhile: it records what came before the version.
    final class SlowVersionServer: @unchecked Sendable {
        let address: String
        private let listener: Int32
        private let lock = NSLock()
        private var early: [UInt8] = []

        init(version: String) throws {
            var found: (String, Int32)?
            for _ in 0..<20 where found == nil {
                let address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).\(Int.random(in: 2...250))"
                if let fd = FakeWaltServer.listen(address, WaltPorts.rpc) { found = (address, fd) }
            }
            guard let found else { throw FakeWaltServer.Failure(description: "no free 127/8 address") }
            (address, listener) = found
            Thread.detachNewThread { [self] in
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                defer { close(fd) }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                while true {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    guard count > 0 else { break }
                    received += buffer[..<count]
                }
                lock.withLock { early = received }
                var reply = Array("\(version)\n".utf8)
                if received.count > 40 {  // handshake and SET_MODE are 33 bytes: a call came too
                    reply += PickleEncoder.encode(.tuple(["RESULT", "TABLE FROM THE OTHER SERVER"]))
                }
                FakeStream.sendAll(fd, reply)
                timeout = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                while recv(fd, &buffer, buffer.count, 0) > 0 {}
            }
        }

        /// What the client sent before it could have read the version line.
        var beforeVersion: String { lock.withLock { String(decoding: early, as: UTF8.self) } }

        func stop() {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }

        func home() throws -> URL {
            let home = URL(fileURLWithPath: "/tmp/wvc-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: home.appendingPathComponent(".walt"), withIntermediateDirectories: true)
            try "walt:\n    server: \(address)\n    username: alice\n"
                .write(to: home.appendingPathComponent(".walt/config"), atomically: true, encoding: .utf8)
            return home
        }
    }

    /// Runs `walt arguments` against a server announcing WalT 9.0.
    static func againstOtherVersion(_ arguments: [String]) throws -> (WaltProcess.Outcome, sentBeforeVersion: String) {
        let server = try SlowVersionServer(version: "9.0")
        defer { server.stop() }
        let home = try server.home()
        defer { try? FileManager.default.removeItem(at: home) }
        let outcome = try WaltProcess.run(arguments, home: home)
        return (outcome, server.beforeVersion)
    }

    @Test func readOnlyCall_pipelined_answerOfAnotherVersionDropped() throws {
        let (outcome, early) = try Self.againstOtherVersion(["node", "show"])
        #expect(early.contains("show_nodes"), "the call left with the handshake")
        #expect(outcome.status == 1)
        #expect(outcome.stdout.contains("WALT version is different on client and on server."))
        #expect(!outcome.stdout.contains("TABLE FROM THE OTHER SERVER"))
        #expect(outcome.stderr.contains("the server runs WalT 9.0 and this client speaks 10.0 only"))
    }

    @Test func changingCall_waitsForTheVersion_neverSent() throws {
        let (outcome, early) = try Self.againstOtherVersion(["device", "rescan"])
        #expect(early == "10\nCSAPI\n('SET_MODE', 'pickle4')\n")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("the server runs WalT 9.0"))
    }
}
