#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Testing
@testable import WaltServer

/// The daemon's listening options on a real loopback socket: what an accepted connection
/// ends up with, read back from the kernel.
struct ListeningOptionsTests {
    @Test func acceptedConnectionsHaveNoDelayAndNoDebug() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let accepted = group.any().makePromise(of: (noDelay: SocketOptionValue, debug: SocketOptionValue).self)
        let server = try await ServerBootstrap(group: group).daemonListeningOptions()
            .childChannelInitializer { channel in
                let options = channel.getOption(.tcpOption(.tcp_nodelay)).and(channel.getOption(.socketOption(.init(rawValue: SO_DEBUG))))
                options.map { (noDelay: $0.0, debug: $0.1) }.cascade(to: accepted)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group).connect(to: try #require(server.localAddress)).get()
        let options = try await accepted.futureResult.get()
        #expect(options.noDelay == 1)
        // At the socket level, TCP_NODELAY's number is SO_DEBUG: it must stay off.
        #expect(options.debug == 0)
        try await client.close()
        try await server.close()
    }
}
