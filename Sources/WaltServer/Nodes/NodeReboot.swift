import WaltCommon

/// Upstream's reboot workflow (`nodes/reboot.py`): a soft reboot through each node's
/// service on 12346, then a hard reboot for the rest: virtual nodes by restarting their
/// VM, others by PoE. Nodes that go down are marked so
/// at once, with the cause in the platform log. Hard reboots need PoE on a known switch
/// port: topology and PoE come with the devices work, so for now every hard reboot
/// fails with upstream's "unknown LLDP network position".
struct NodeReboot {
    let daemon: DaemonState
    let requester: any Requester

    /// "OK" when every node was rebooted, "FAILED" otherwise (errors went to stderr).
    func run(_ nodes: [DeviceInfo], hardOnly: Bool, cause: String) async throws -> String {
        var rebooted: [String] = []
        var softErrors: [String: String] = [:]
        var remaining = nodes
        if !hardOnly && !nodes.isEmpty {
            let results = await withTaskGroup(of: (DeviceInfo, String).self) { group in
                for node in nodes {
                    group.addTask { (node, await NodeNetService(ip: node.ip ?? "").request("REBOOT")) }
                }
                var results: [(DeviceInfo, String)] = []
                for await result in group { results.append(result) }
                return results
            }
            for (node, result) in results {
                if result == "OK" {
                    rebooted.append(node.name)
                    remaining.removeAll { $0.mac == node.mac }
                    await markDown(node, cause: cause, method: "soft-reboot")
                } else {
                    softErrors[node.name] = result.lowercased()
                }
            }
        }
        // Virtual nodes: their VM is killed and started again (upstream's vnode hard-reboot).
        var vmRebooted: [String] = []
        for node in remaining where node.virtual && daemon.virtualNodes.hardReboot(mac: node.mac) {
            vmRebooted.append(node.name)
            remaining.removeAll { $0.mac == node.mac }
            await markDown(node, cause: cause, method: "vnode hard-reboot")
        }
        rebooted = vmRebooted + rebooted
        let method = "PoE-reboot"
        let hardErrors = Dictionary(uniqueKeysWithValues: remaining.map { ($0.name, "unknown LLDP network position") })
        if !rebooted.isEmpty {
            try await requester.stdout(format("%s: rebooted OK.", rebooted) + "\n")
        }
        if hardErrors.isEmpty { return "OK" }
        // Nodes grouped by their pair of errors, one line per group, as upstream.
        var groups: [[String]: [String]] = [:]
        for (name, hardError) in hardErrors {
            groups[[hardError] + (softErrors[name].map { [$0] } ?? []), default: []].append(name)
        }
        for (errors, names) in groups.sorted(by: { $0.value.sorted().first! < $1.value.sorted().first! }) {
            let explain = errors.count == 1 ? "failed \(method) (\(errors[0]))"
                : "failed soft-reboot (\(errors[1])) and \(method) (\(errors[0]))"
            try await requester.stderr(format("%s: " + explain, names) + "\n")
        }
        return "FAILED"
    }

    private func markDown(_ node: DeviceInfo, cause: String, method: String) async {
        if daemon.setBooted(node.mac, false) {
            await daemon.platformLog.log("nodes", "node \(node.name) is down (cause: \(cause), method: \(method))")
        }
    }

    private func format(_ sentence: String, _ names: [String]) -> String {
        SentenceFormat.format(sentence, items: names, none: "No nodes", singular: "Node", plural: "Nodes")
    }
}
