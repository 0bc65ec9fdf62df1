import NIOCore

/// Pulls a connection's bytes chunk by chunk for the pure protocol readers of WaltCommon
/// (`RPCServerStateMachine`, `StreamRequestReader`, `IncomingLogReader`), which do all the
/// framing themselves.
///
/// Owned by one connection task.
struct ByteSource {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        iterator = inbound.makeAsyncIterator()
    }

    /// The next chunk from the peer, or nil at EOF.
    mutating func next() async throws -> [UInt8]? {
        guard var buffer = try await iterator.next() else { return nil }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
