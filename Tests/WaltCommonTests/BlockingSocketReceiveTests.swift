#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import WaltCommon

/// `BlockingSocket.receive` over a socketpair: the bytes that came, in an array of their
/// own size (not the 64 KB it reads into), then empty at EOF.
@Suite struct BlockingSocketReceiveTests {
    @Test func receivesWhatCameThenEmptyAtEOF() throws {
        var fds: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        let socket = BlockingSocket(connected: fds[0])
        let sent: [UInt8] = Array("10.0\n".utf8) + [0x80, 0x04, 0x00, 0xff]
        #expect(sent.withUnsafeBytes { send(fds[1], $0.baseAddress, $0.count, 0) } == sent.count)

        let received = try socket.receive()
        #expect(received == sent)
        // A chunk may be kept (log lines, file transfers): it must not pin the read buffer.
        #expect(received.capacity < 1024)

        close(fds[1])
        #expect(try socket.receive().isEmpty)
    }
}
