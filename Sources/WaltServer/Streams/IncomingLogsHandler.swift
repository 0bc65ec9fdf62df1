import Logging
import WaltCommon

/// `REQ_NEW_INCOMING_LOGS` (0): a node (`walt-log-tee`, `walt-log-echo`...) sends a stream
/// name, a timestamp mode, then lines until `CLOSE`. Accepted only from the address of a
/// registered device, or from the server itself (then the issuer is `walt-server`).
struct IncomingLogsHandler {
    let daemon: DaemonState
    let remoteIP: String?
    let logger: Logger

    func run(source: inout ByteSource, initial: [UInt8]) async throws {
        guard let ip = remoteIP, let issuer = try await daemon.logStreams.issuer(ip: ip) else {
            logger.warning("log stream refused: \(remoteIP ?? "?") is not a registered device")
            return
        }
        var reader = IncomingLogReader()
        var streamID: Int?
        var chunk: [UInt8]? = initial
        while true {
            let actions = chunk.map { reader.received($0) } ?? reader.receivedEOF()
            let arrival = ServerClock.now()
            var batch: [(line: String, timestamp: Double)] = []
            var finished = chunk == nil
            for action in actions {
                switch action {
                case .stream(let name, _):
                    streamID = try await daemon.logStreams.streamID(issuerMAC: issuer.mac, issuerName: issuer.name, name: name)
                case .line(let text, let timestamp):
                    batch.append((text, IncomingLogReader.acceptedTimestamp(timestamp, arrival: arrival)))
                case .closed:
                    finished = true
                case .failure(let reason):
                    logger.warning("log stream of \(issuer.name) closed: \(reason)")
                    finished = true
                }
            }
            if let streamID, !batch.isEmpty {
                await daemon.logHub.accept(streamID: streamID, lines: batch)
            }
            if finished { return }
            chunk = try await source.next()
        }
    }
}
