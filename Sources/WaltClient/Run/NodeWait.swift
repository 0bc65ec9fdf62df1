#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Upstream's `WalTNode.wait_for_nodes`: `wait_for_nodes(set)` under a busy label, cut
/// short by Ctrl-C (a newline) or by the timeout ("Timeout was reached."); false then.
/// `node shell/run/cp/blink/expose` wait this way before their stream; `node wait` is it.
struct NodeWait {
    static let implicitLabel = "Node bootup notification still pending (press ctrl-C to proceed anyway)"

    let link: RPCServerLink
    let context: ClientContext

    /// - Parameter timeout: seconds; zero or less waits as long as it takes.
    func wait(_ nodeSet: String, label: String = implicitLabel, timeout: Int = -1) throws(ClientError) -> Bool {
        let busy = link.callbacks.busy
        busy.setLabel(label)
        let signals = SignalPipe([SIGINT])
        defer { signals.restore() }
        let deadline = timeout > 0 ? TransferProgress.now() + Double(timeout) : nil
        var timedOut = false
        let result = try link.call("wait_for_nodes", [.str(nodeSet)]) {
            if !signals.take().isEmpty { return true }
            if let deadline, TransferProgress.now() >= deadline {
                timedOut = true
                return true
            }
            return false
        }
        if result == nil {
            context.writeOutput(timedOut ? "Timeout was reached.\n" : "\n")
        }
        busy.setDefaultLabel()
        return result != nil
    }
}
