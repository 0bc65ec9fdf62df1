#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import WaltCommon

/// What `RPCClientLink` writes, one record per `send`: a SEQPACKET socketpair keeps the
/// boundaries that TCP hides, so these tests see how many writes the client made.
@Suite struct RPCClientLinkWriteTests {
    static let handshake = ascii("10\nCSAPI\n") + RPCTranscriptTests.setModeLine
    static let answer = ascii("10.0\n") + PickleEncoder.encode(.tuple(["RESULT", "NODES OF alice"]))

    /// A connected pair: the client end for the link, the server end for the test.
    static func pair() -> (client: Int32, server: Int32) {
        var fds: [Int32] = [-1, -1]
        let status = socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        precondition(status == 0, "socketpair failed")
        return (fds[0], fds[1])
    }

    /// The records waiting on `fd`, without blocking.
    static func records(_ fd: Int32) -> [[UInt8]] {
        var all: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard n > 0 else { return all }
            all.append(Array(buffer[..<n]))
        }
    }

    static func reply(_ fd: Int32, _ bytes: [UInt8]) {
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        precondition(sent == bytes.count)
    }

    @Test func pipelinedHandshakeLeavesWithTheFirstCall() throws {
        let (client, server) = Self.pair()
        defer { close(server) }
        let link = try RPCClientLink(socket: BlockingSocket(connected: client), api: .csapi,
                                     connectTimeoutMilliseconds: 2_000, pipelined: true)
        #expect(Self.records(server).isEmpty)
        Self.reply(server, Self.answer)  // read by the link once its call is out
        #expect(try link.call("show_nodes", ["alice", false, false]) == "NODES OF alice")
        #expect(Self.records(server) == [Self.handshake + PickleGoldenTests.showNodesCall])
        #expect(link.remoteVersion == "10.0")
    }

    /// `awaitVersion()` before any call (what a command whose first call writes does) sends
    /// the handshake alone, so no call reaches a server before its version is checked.
    @Test func awaitVersionSendsTheHandshakeAlone() throws {
        let (client, server) = Self.pair()
        defer { close(server) }
        let link = try RPCClientLink(socket: BlockingSocket(connected: client), api: .csapi,
                                     connectTimeoutMilliseconds: 2_000, pipelined: true)
        Self.reply(server, ascii("10.0\n"))
        #expect(try link.awaitVersion() == "10.0")
        #expect(Self.records(server) == [Self.handshake])
        Self.reply(server, PickleEncoder.encode(.tuple(["RESULT", 1.5])))
        #expect(try link.call("get_time", []) == 1.5)
        #expect(Self.records(server) == [PickleEncoder.encode(.tuple(["API_CALL", "get_time", .tuple([]), [:]]))])
    }

    /// Without pipelining the link waits for the version line before anything else: the
    /// handshake goes alone, then SET_MODE once the version came.
    @Test func unpipelinedLinkSendsHandshakeThenSetMode() throws {
        let (client, server) = Self.pair()
        defer { close(server) }
        Self.reply(server, ascii("10.0\n"))
        let link = try RPCClientLink(socket: BlockingSocket(connected: client), api: .csapi,
                                     connectTimeoutMilliseconds: 2_000, pipelined: false)
        #expect(link.remoteVersion == "10.0")
        #expect(Self.records(server) == [ascii("10\nCSAPI\n"), RPCTranscriptTests.setModeLine])
    }
}
