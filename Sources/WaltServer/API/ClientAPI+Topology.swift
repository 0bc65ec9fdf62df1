import WaltCommon

/// CSAPI methods of `walt device rescan/tree/port-config` (server.md §7).
extension ClientAPI {
    static let topologyMethods: [String: APIMethod] = [
        "device_rescan": APIMethod(["device_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("device_set")) else { return false }
            // Ports whose PoE WalT turned off would hide their nodes from the scan.
            try await PoEControl(daemon: context.daemon).restore(switches: Set(devices.map(\.mac)), requester: context.requester)
            _ = try await TopologyScan(daemon: context.daemon, requester: context.requester).run(devices)
            context.daemon.devicesChanged()
            return .none
        },
        "device_tree": APIMethod(["show_all"]) { context, args in
            .str(try await treeText(context, showAll: args.bool("show_all")))
        },
        "set_port_config": APIMethod(["switch_name", "port_id", "configuration"]) { context, args in
            try await PortConfig(context).set(switchName: try args.string("switch_name"), port: try portID(args),
                                              arguments: try textItems(args, "configuration"))
        },
        "get_port_config": APIMethod(["switch_name", "port_id"]) { context, args in
            try await PortConfig(context).show(switchName: try args.string("switch_name"), port: try portID(args))
        },
    ]

    private static func portID(_ args: CallArguments) throws -> Int? {
        let value = args["port_id"]
        if value == .none { return nil }
        guard let port = value.intValue?.intValue else {
            throw CallArguments.Mismatch(message: "port_id must be an integer")
        }
        return port
    }

    private static func treeText(_ context: APIContext, showAll: Bool) async throws -> String {
        let repository = TopologyRepository(store: context.daemon.store)
        let encoding = (try? await context.requester.call("stdout.get_encoding", []))?.stringValue ?? "utf-8"
        let view = TopologyTreeView(
            topology: try await repository.load(), devices: try await repository.devices(),
            portNames: try await repository.portNames(), serverMAC: context.daemon.server.mac,
            waltNet: context.daemon.config.waltNetAddress, lastScan: context.daemon.topology.lastScan,
            now: ServerClock.now(),
            charset: encoding.lowercased().filter { $0 != "-" }.hasPrefix("utf") ? .unicode : .ascii)
        return view.text(showAll: showAll)
    }
}
