import WaltCommon
import WaltStore

/// CSAPI methods on device and node sets (server.md §4.9, protocol.md §5).
extension ClientAPI {
    static let deviceMethods: [String: APIMethod] = [
        "parse_set_of_devices": APIMethod(["device_set", "allowed_device_set"], required: 1) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("device_set"),
                                                     allowed: try args.optionalString("allowed_device_set")) else { return .none }
            return .tuple(devices.map { .str($0.name) })
        },
        "parse_set_of_nodes": APIMethod(["node_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return .none }
            return .tuple(nodes.map { .str($0.name) })
        },
        "develop_node_set": APIMethod(["node_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return .none }
            return .str(nodes.map(\.name).sorted().joined(separator: ","))
        },
        "develop_device_set": APIMethod(["device_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("device_set")) else { return .none }
            return .str(devices.map(\.name).sorted().joined(separator: ","))
        },
        "filter_ownership": APIMethod(["node_set"]) { context, args in
            let empty: PyValue = .tuple([.tuple([]), .tuple([]), .tuple([]), .tuple([])])
            guard let username = try await context.requester.username(), !username.isEmpty else { return empty }
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let devices = try await sets.parse(try args.optionalString("node_set")) else { return empty }
            var groups: [[PyValue]] = [[], [], [], []]
            for device in devices {
                let image = device.image ?? ""
                let index = device.type != "node" ? 3 : image.hasPrefix(username + "/") ? 0
                    : image.hasPrefix("waltplatform/") ? 1 : 2
                groups[index].append(.str(device.name))
            }
            return .tuple(groups.map(PyValue.tuple))
        },
        "get_nodes_ip": APIMethod(["node_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return .tuple([]) }
            return .tuple(nodes.map { $0.ip.map(PyValue.str) ?? .none })
        },
        "get_nodes_info": APIMethod(["node_set"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let nodes = try await sets.parseNodes(try args.optionalString("node_set")) else { return .tuple([]) }
            return .tuple(nodes.map { $0.asDict(allFields: true) })
        },
        "get_device_info": APIMethod(["device_name"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let device = try await sets.device(named: try args.string("device_name")) else { return .none }
            return device.asDict(allFields: false)
        },
        "device_show": APIMethod { context, _ in
            .str(DeviceShow.render(try await DeviceRepository(store: context.daemon.store)
                .showRows(subnet: context.daemon.waltSubnet)))
        },
        "rename": APIMethod(["old_name", "new_name"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let device = try await sets.device(named: try args.string("old_name")) else { return false }
            let newName = try args.string("new_name")
            let repository = DeviceRepository(store: context.daemon.store)
            if try await DeviceQueries(daemon: context.daemon).info(name: newName) != nil {
                try await context.requester.stderr("Failed: a device with name '\(newName)' already exists.\n")
                return false
            }
            guard DeviceIdentity.isValidName(newName) else {
                try await context.requester.stderr(DeviceRepository.newNameGuidelines)
                return false
            }
            try await repository.rename(mac: device.mac, to: newName)
            context.daemon.logStreams.invalidate()
            context.daemon.devicesChanged()
            return true
        },
        "forget": APIMethod(["device_name"]) { context, args in
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let device = try await sets.device(named: try args.string("device_name")) else { return false }
            try await forget(device, context)
            return true
        },
        "remove_vnode": APIMethod(["node_name"]) { context, args in
            let name = try args.string("node_name")
            let sets = DeviceSets(daemon: context.daemon, requester: context.requester)
            guard let node = try await sets.node(named: name) else { return false }
            guard node.virtual else {
                try await context.requester.stderr("FAILED: \(name) is a real node (not virtual).\n")
                return false
            }
            await context.daemon.virtualNodes.stop(mac: node.mac)
            context.daemon.virtualNodes.forgetConsoleStream(mac: node.mac)
            try await forget(node, context)
            return true
        },
    ]

    /// Upstream's forget: the device's rows and logs, its bootup state.
    private static func forget(_ device: DeviceInfo, _ context: APIContext) async throws {
        // Lines of its streams still buffered are written first, then deleted with it.
        await context.daemon.logHub.flush()
        try await DeviceRepository(store: context.daemon.store).forget(mac: device.mac)
        context.daemon.logStreams.invalidate()
        context.daemon.setBooted(device.mac, false)
        context.daemon.bootWatchdog.forget(device.mac)
        context.daemon.devicesChanged()
    }
}
