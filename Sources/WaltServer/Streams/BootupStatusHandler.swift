import Logging
import WaltCommon

/// `REQ_NOTIFY_BOOTUP_STATUS` (14): a booted node holds this connection open (`OK\n` was
/// already sent by the request reader). Its first byte marks the node booted; the end of
/// the connection marks it down, unless a newer connection of the same node exists.
/// Platform log lines `node <name> is booted` / `... is down (...)` on `platform.nodes`.
struct BootupStatusHandler {
    static let downDetails = "cause: unknown, note: server-detected disconnection"

    let daemon: DaemonState
    let remoteIP: String?
    let logger: Logger

    func run(source: inout ByteSource, initial: [UInt8]) async throws {
        guard let ip = remoteIP, let node = try await DeviceRepository(store: daemon.store).node(ip: ip) else {
            logger.warning("bootup notification refused: \(remoteIP ?? "?") is not a registered node")
            return
        }
        let token = daemon.openBootupConnection(ip: ip)
        var confirmed = false
        var chunk: [UInt8]? = initial
        do {
            while let bytes = chunk {
                if !bytes.isEmpty && !confirmed {
                    confirmed = true
                    if daemon.setBooted(node.mac, true) {
                        await daemon.platformLog.log("nodes", "node \(node.name) is booted")
                    }
                }
                chunk = try await source.next()
            }
        } catch is CancellationError {
            // Daemon shutdown: the node did not go down.
            _ = daemon.closeBootupConnection(ip: ip, token: token)
            return
        } catch {
            logger.info("bootup connection of \(node.name) lost: \(error)")
        }
        if daemon.closeBootupConnection(ip: ip, token: token), confirmed, daemon.setBooted(node.mac, false) {
            await daemon.platformLog.log("nodes", "node \(node.name) is down (\(Self.downDetails))")
        }
    }
}
