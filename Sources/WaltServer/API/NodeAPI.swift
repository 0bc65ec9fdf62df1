#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// NSAPI: what nodes call through busybox `walt-rpc` (server.md §3.2), usually in the
/// legacy line-repr-eval mode. Nodes are identified by the address they call from.
enum NodeAPI {
    static let methods: [String: APIMethod] = [
        // busybox `date -s` has one-second granularity, so answer exactly when the next
        // second starts, with that second: the node's clock is then right to ~1 s.
        "sync_clock": APIMethod { _, _ in
            let now = ServerClock.now()
            let target = (now + 1).rounded(.down)
            try await Task.sleep(for: .seconds(target - now))
            return .int(PyInt(Int(target)))
        },
        "report_lldp_neighbor": APIMethod(["sw_mac", "sw_port_lldp_label"]) { context, args in
            let label = try args.string("sw_port_lldp_label")
            guard let switchMAC = NetworkAddress.normalizedMAC(try args.string("sw_mac")),
                  let ip = context.remoteIP else { return .none }
            let devices = DeviceRepository(store: context.daemon.store)
            guard let node = try await devices.node(ip: ip),
                  let neighbour = try await devices.device(mac: switchMAC) else { return .none }
            if neighbour.type == "unknown" {
                await context.daemon.platformLog.log(
                    "devices", "Node \(node.name) is connected on \(neighbour.name), so \(neighbour.name) is a switch.")
                if let (outcome, switchIP) = try await devices.identifyAsSwitch(mac: switchMAC) {
                    for line in outcome.platformLines(mac: switchMAC, ip: switchIP) {
                        await context.daemon.platformLog.log("devices", line)
                    }
                    context.daemon.devicesChanged()
                }
                return .none
            }
            guard neighbour.lldpExplore else { return .none }
            // SNMP takes time (a scan, when the label is unknown): the node does not wait.
            let daemon = context.daemon
            Task {
                do {
                    try await LLDPReport(daemon: daemon).locate(node: node, switchMAC: switchMAC, label: label)
                } catch {
                    daemon.logger.info("LLDP neighbour report of \(node.name) not resolved: \(error)")
                }
            }
            return .none
        },
    ]
}
