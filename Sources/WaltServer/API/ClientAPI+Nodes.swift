import WaltCommon

/// CSAPI methods that act on nodes over the network: waiting for their bootup, rebooting
/// them, blinking their LED, and checking `walt node cp` operands (server.md §3.1, §4.3).
extension ClientAPI {
    /// How often `wait_for_nodes` looks at the bootup state, and checks its client is still there.
    static let waitPollInterval: Duration = .milliseconds(200)
    static let waitAliveCheckEvery = 25

    static let nodeMethods: [String: APIMethod] = [
        "wait_for_nodes": APIMethod(["node_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return false }
            let macs = Set(nodes.map(\.mac))
            var round = 0
            while !macs.isSubset(of: context.daemon.booted) {
                try await Task.sleep(for: waitPollInterval)
                round += 1
                // The client's own timeout or Ctrl-C ends its connection; find out.
                if round % waitAliveCheckEvery == 0, try await context.requester.call("is_alive", []).boolValue != true {
                    return .none
                }
            }
            return true
        },
        "reboot_nodes": APIMethod(["node_set", "hard_only", "cause"],
                                  defaults: ["hard_only": false, "cause": "reboot requested"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return .none }
            let cause = try args.optionalString("cause") ?? "reboot requested"
            // An explicit reboot gives the nodes all their watchdog retries again.
            context.daemon.bootWatchdog.rebootRequested(nodes.map(\.mac))
            return .str(try await NodeReboot(daemon: context.daemon, requester: context.requester)
                .run(nodes, hardOnly: args.bool("hard_only"), cause: cause))
        },
        "blink": APIMethod(["node_name", "blink_status"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let node = try await sets.node(named: try args.string("node_name")) else { return false }
            let result = await NodeNetService(ip: node.ip ?? "").request("BLINK \(args.bool("blink_status") ? 1 : 0)")
            if result == "OK" { return true }
            try await context.requester.stderr("Blink request to \(node.name) failed: \(result)\n")
            return false
        },
        "validate_node_cp": APIMethod(["src", "dst"]) { context, args in
            try await NodeCopyCheck(daemon: context.daemon, requester: context.requester)
                .validate(src: try args.string("src"), dst: try args.string("dst"))
        },
    ]
}
