import Logging
import Synchronization
import WaltCommon

/// Says "ready" (log line, and READY=1 to systemd) once every listener is bound: the boot
/// services were prepared before, so the units after walt-server start on written files.
final class Readiness: Sendable {
    private let remaining: Atomic<Int>
    private let logger: Logger

    init(listeners: Int, logger: Logger) {
        remaining = Atomic(listeners)
        self.logger = logger
    }

    func listenerBound() {
        guard remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        logger.info("walt-server-daemon ready", metadata: ["version": "\(RPCServerStateMachine.version)"])
        SystemdNotify.ready()
    }
}
