import NIOCore
import NIOPosix

extension ServerBootstrap {
    /// The options every listening port of the daemon shares (RPC, streams, HTTP).
    ///
    /// `TCP_NODELAY` is a TCP-level option: NIO sets it on the listening socket and Linux
    /// copies it to each accepted one; set at the socket level instead, the same number is
    /// `SO_DEBUG`, which needs `CAP_NET_ADMIN` and fails every accepted connection of a
    /// daemon that lacks it. A client that half-closes after its request (`walt node run` at
    /// the end of stdin, an HTTP client) still reads the answer, so its EOF must not close
    /// our side.
    func daemonListeningOptions() -> ServerBootstrap {
        serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
    }
}
