import Logging

/// The daemon's own events as log lines of `walt-server` (`platform.devices`,
/// `platform.nodes`...), as upstream's `platform_log`, also printed on the daemon's
/// output (journald).
public struct PlatformLog: Sendable {
    let hub: LogHub
    let streams: LogStreams
    let logger: Logger

    public func log(_ stream: String, _ line: String, error: Bool = false) async {
        if error {
            logger.error("\(line)", metadata: ["stream": "platform.\(stream)"])
        } else {
            logger.info("\(line)", metadata: ["stream": "platform.\(stream)"])
        }
        do {
            let id = try await streams.serverStreamID("platform." + stream)
            await hub.accept(streamID: id, lines: [(line, ServerClock.now())])
        } catch {
            logger.error("could not record platform log line: \(error)")
        }
    }
}
