import Logging
import NIOCore
import NIOPosix
import WaltCommon

/// `REQ_TCP_TO_NODE` (11, `walt node/device expose`): the server connects to a port of a
/// device, answers `OK` (or `Could not connect to <ip>:<port>!`), then relays bytes both
/// ways until either side closes, half-closes passing through.
struct TCPToNodeHandler {
    static let connectTimeout: TimeAmount = .seconds(10)

    let daemon: DaemonState
    let peer: TCPListener.Peer

    func run(parameters: PyValue, source: inout ByteSource, initial: [UInt8]) async throws {
        let ip = parameters["node_ip"]?.stringValue ?? ""
        let port = (try? parameters["node_port"]?.exactly(Int.self)) ?? -1
        guard (1...65535).contains(port), try await DeviceQueries(daemon: daemon).info(ip: ip) != nil else {
            try await peer.outbound.write(ByteBuffer(string: "Could not connect to \(ip):\(port)!\n"))
            return
        }
        let target: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            target = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(Self.connectTimeout)
                .channelOption(.allowRemoteHalfClosure, value: true)
                .connect(host: ip, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            peer.logger.info("expose: cannot reach \(ip):\(port): \(error)")
            try await peer.outbound.write(ByteBuffer(string: "Could not connect to \(ip):\(port)!\n"))
            return
        }
        try await peer.outbound.write(ByteBuffer(string: "OK\n"))
        let (outbound, closeAfter, logger) = (peer.outbound, peer.closeAfter, peer.logger)
        try await target.executeThenClose { fromNode, toNode in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await chunk in fromNode { try await outbound.write(chunk) }
                    } catch {
                        logger.debug("expose: node side ended: \(error)")
                    }
                    outbound.finish()
                    closeAfter(SessionRelay.hangUpDelay)
                }
                do {
                    if !initial.isEmpty { try await toNode.write(ByteBuffer(bytes: initial)) }
                    while let chunk = try await source.next() { try await toNode.write(ByteBuffer(bytes: chunk)) }
                } catch {
                    peer.logger.debug("expose: client side ended: \(error)")
                }
                toNode.finish()
                // A client that hung up while the node still talks: stop in bounded time.
                let channel = target.channel
                channel.eventLoop.scheduleTask(in: SessionRelay.hangUpDelay) { channel.close(promise: nil) }
                try await group.waitForAll()
            }
        }
    }
}
