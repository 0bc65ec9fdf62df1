import WaltCommon

/// Upstream's reboot workflow (`nodes/reboot.py`): a soft reboot through each node's
/// service on 12346, then a hard reboot for the rest: virtual nodes by restarting their
/// VM, others by PoE (their switch port is turned off for 2 s, as upstream's
/// POE_REBOOT_DELAY). Nodes that go down are marked so at once, with the cause in the
/// platform log.
struct NodeReboot {
    let daemon: DaemonState
    let requester: any Requester

    /// "OK" when every node was rebooted, "FAILED" otherwise (errors went to stderr).
    func run(_ nodes: [DeviceInfo], hardOnly: Bool, cause: String) async throws -> String {
        var rebooted: [String] = []
        var softErrors: [String: String] = [:]
        var remaining = nodes
        // A node whose port WalT turned off cannot answer a soft reboot.
        let poweredOff = nodes.contains { !$0.virtual } ? try await PoEControl(daemon: daemon).nodesOff() : []
        let softTargets = nodes.filter { !poweredOff.contains($0.mac) }
        if !hardOnly && !softTargets.isEmpty {
            let results = await withTaskGroup(of: (DeviceInfo, String).self) { group in
                for node in softTargets {
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
        let (poeRebooted, hardErrors) = try await poeReboot(remaining, alreadyOff: poweredOff, cause: cause)
        rebooted = vmRebooted + rebooted + poeRebooted
        let method = "PoE-reboot"
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

    /// Upstream's wf_poe_reboot: ports off (but those already off), 2 s, all back on.
    private func poeReboot(_ nodes: [DeviceInfo], alreadyOff: Set<String>, cause: String) async throws
        -> (rebooted: [String], errors: [String: String]) {
        guard !nodes.isEmpty else { return ([], [:]) }
        let poe = PoEControl(daemon: daemon)
        let outlets = try await poe.outlets(nodes)
        var errors: [String: String] = [:]
        var ready: [PoEControl.Outlet] = []
        for node in nodes {
            switch outlets[node.mac] {
            case .success(let outlet)?: ready.append(outlet)
            case .failure(let failure)?: errors[node.name] = failure.message
            case nil: errors[node.name] = "unknown LLDP network position"
            }
        }
        let byMAC = Dictionary(nodes.map { ($0.mac, $0) }, uniquingKeysWith: { first, _ in first })
        var off = ready.filter { alreadyOff.contains($0.mac) }
        let toCut = ready.filter { !alreadyOff.contains($0.mac) }
        if !toCut.isEmpty {
            let failures = try await poe.set(toCut, on: false, reason: "hard-reboot")
            for outlet in toCut {
                if let failure = failures[outlet.mac] {
                    errors[outlet.name] = failure.message
                } else {
                    off.append(outlet)
                    if let node = byMAC[outlet.mac] { await markDown(node, cause: cause, method: "PoE hard-reboot") }
                }
            }
            if off.count > ready.count - toCut.count { try await Task.sleep(for: .seconds(Self.poeRebootDelay)) }
        }
        var rebooted: [String] = []
        let failures = try await poe.set(off, on: true, reason: "")
        for outlet in off {
            if let failure = failures[outlet.mac] { errors[outlet.name] = failure.message } else { rebooted.append(outlet.name) }
        }
        return (rebooted, errors)
    }

    /// Seconds a port stays off in a PoE reboot (upstream's POE_REBOOT_DELAY).
    static let poeRebootDelay = 2.0

    private func markDown(_ node: DeviceInfo, cause: String, method: String) async {
        if daemon.setBooted(node.mac, false) {
            await daemon.platformLog.log("nodes", "node \(node.name) is down (cause: \(cause), method: \(method))")
        }
    }

    private func format(_ sentence: String, _ names: [String]) -> String {
        SentenceFormat.format(sentence, items: names, none: "No nodes", singular: "Node", plural: "Nodes")
    }
}
