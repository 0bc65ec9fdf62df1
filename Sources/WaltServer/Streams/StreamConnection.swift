import Logging
import NIOCore
import WaltCommon

/// Serves one port-12347 connection: reads the request head with WaltCommon's
/// `StreamRequestReader`, then hands the connection to the request's handler.
///
/// An unknown or unserved request id is logged in one line and the connection closed,
/// as upstream ("Invalid request.").
struct StreamConnection {
    let peer: TCPListener.Peer
    let daemon: DaemonState

    func run() async throws {
        var source = ByteSource(peer.inbound)
        var reader = StreamRequestReader()
        let logger = peer.logger
        while let chunk = try await source.next() {
            for action in reader.received(chunk) {
                switch action {
                case .send(let bytes):
                    try await peer.outbound.write(ByteBuffer(bytes: bytes))
                case .refuse(let reason):
                    logger.warning("Invalid request: \(reason)")
                    return
                case .request(let request, let parameters):
                    let rest = reader.takeRemainingBytes()
                    try await serve(request, parameters: parameters, source: &source, initial: rest)
                    return
                }
            }
        }
    }

    private func serve(_ request: StreamRequest, parameters: PyValue?, source: inout ByteSource,
                       initial: [UInt8]) async throws {
        let ip = peer.remoteAddress?.ipAddress
        switch request {
        case .newIncomingLogs:
            try await IncomingLogsHandler(daemon: daemon, remoteIP: ip, logger: peer.logger)
                .run(source: &source, initial: initial)
        case .dumpLogs:
            try await DumpLogsHandler(daemon: daemon, outbound: peer.outbound, logger: peer.logger, closeAfter: peer.closeAfter)
                .run(parameters: parameters ?? .none, source: &source)
        case .notifyBootupStatus:
            try await BootupStatusHandler(daemon: daemon, remoteIP: ip, logger: peer.logger)
                .run(source: &source, initial: initial)
        case .sqlPrompt, .nodeCommand, .devicePing, .tarFromNode, .tarToNode, .deviceShell:
            try await SessionStreamHandler(daemon: daemon, peer: peer)
                .run(request, parameters: parameters ?? .none, source: &source, initial: initial)
        case .dockerPrompt, .tarFromImage, .tarToImage, .tarForImageBuild:
            try await ImageStreamHandler(daemon: daemon, peer: peer)
                .run(request, parameters: parameters ?? .none, source: &source, initial: initial)
        case .tcpToNode:
            try await TCPToNodeHandler(daemon: daemon, peer: peer)
                .run(parameters: parameters ?? .none, source: &source, initial: initial)
        default:
            peer.logger.warning("Invalid request: \(request.name) is not served by this daemon yet")
        }
    }
}
