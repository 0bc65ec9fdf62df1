import WaltCommon
import WaltStore

/// CSAPI methods of virtual nodes (server.md §3.1, §4.5): `walt node create` and the keys
/// of `walt node console`. `remove_vnode` is with the device methods (it ends as forget).
extension ClientAPI {
    static let virtualNodeMethods: [String: APIMethod] = [
        "create_vnode": APIMethod(["node_name"]) { context, args in
            try await createVirtualNode(named: try args.string("node_name"), context)
        },
        "vnode_console_input": APIMethod(["node_mac", "buf"]) { context, args in
            // str from some clients, bytes from others: both are keys.
            let bytes = args["buf"].bytesValue ?? args["buf"].stringValue.map { Array($0.utf8) } ?? []
            await context.daemon.virtualNodes.input(mac: try args.string("node_mac"), bytes)
            return .none
        },
    ]

    /// Upstream `create_vnode`: a free MAC and address, the default image of pc-x86-64
    /// (imported first if needed) saved in the user's working set under its preferred name,
    /// the node recorded, then its VM started once its boot files are in place.
    /// Upstream refuses without `/dev/kvm`; here QEMU emulates instead (TCG).
    private static func createVirtualNode(named name: String, _ context: APIContext) async throws -> PyValue {
        let daemon = context.daemon, requester = context.requester
        if let reason = daemon.virtualNodes.unavailableReason {
            try await requester.stderr("Failed because \(reason).\n")
            return false
        }
        guard let images = daemon.images else { return false }
        if try await DeviceQueries(daemon: daemon).info(name: name) != nil {
            try await requester.stderr("Failed: a device with name '\(name)' already exists.\n")
            return false
        }
        guard DeviceIdentity.isValidName(name) else {
            try await requester.stderr(DeviceRepository.newNameGuidelines)
            return false
        }
        guard let username = try await requester.username(), !username.isEmpty else { return false }
        let model = VirtualNodes.model
        let defaultImage = ImageName.defaultImage(model: model)
        if !images.registry.contains(defaultImage) {
            try await requester.setBusyLabel("Downloading default image for \"\(model)\"")
            switch await images.importDefaultImage(model: model) {
            case .present, .imported:
                break
            case .missing:
                try await requester.stderr("Failed to download default image for \(model): no archive in \(images.archives.directory) is for '\(model)' nodes.\n")
                return false
            case .failed(let problem):
                try await requester.stderr("Failed to download default image for \(model): \(problem)\n")
                return false
            }
        }
        let imageName = images.registry.metadata(defaultImage)?.labels["walt.image.preferred-name"] ?? model + "-default"
        let userImage = ImageName(user: username, name: imageName)
        if !images.registry.contains(userImage) {
            try await images.exclusive {
                try await images.registry.tag(defaultImage, as: userImage)
                try await images.register(userImage)
            }
            try await requester.stdout("Default image for \(model) was saved as \"\(imageName)\" in your working set.\n")
        }
        try await requester.setBusyLabel("Registering virtual node")
        let repository = DeviceRepository(store: daemon.store)
        let taken = try await repository.takenAddresses()
        let mac = VirtualNodeAddress.freeMAC(taken: taken.macs) { UInt32.random(in: 0...0xff_ffff) }
        guard let ip = VirtualNodeAddress.lowestFreeIP(network: daemon.config.waltNetAddress, taken: taken.ips) else {
            try await requester.stderr("Failed: no free IP address left in \(daemon.waltSubnet).\n")
            return false
        }
        try await repository.addVirtualNode(mac: mac, ip: ip, name: name, model: model, image: userImage.fullname)
        daemon.logStreams.invalidate()
        // dhcpd's host entry, the image mount and the node's TFTP links before the VM boots.
        await daemon.imagesChanged()
        daemon.virtualNodes.start(mac: mac)
        try await requester.stdout("Node \(name) is now booting your image \"\(imageName)\".\n")
        try await requester.stdout("Use `walt node boot \(name) <other-image>` if needed.\n")
        return true
    }
}
