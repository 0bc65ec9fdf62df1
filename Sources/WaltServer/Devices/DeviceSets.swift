import WaltCommon

/// Device and node sets as users write them (`my-nodes`, `server,rpi-1`...), with
/// upstream's error messages written to the client's stderr and `nil` for "already
/// reported" (server.md §4.9).
struct DeviceSets {
    let queries: DeviceQueries
    let requester: any Requester

    init(daemon: DaemonState, requester: any Requester) {
        queries = DeviceQueries(daemon: daemon)
        self.requester = requester
    }

    static let noMatch = "No matching devices found! (tip: walt help show node-ownership)\n"

    /// MACs in the order upstream lists them; nil after an error was reported.
    func macs(_ set: String) async throws -> [String]? {
        if set.contains(",") {
            var macs: [String] = []
            for part in set.split(separator: ",", omittingEmptySubsequences: false) {
                guard let partMACs = try await self.macs(String(part)) else { return nil }
                macs += partMACs
            }
            return macs
        }
        if set == "server" { return [queries.daemon.server.mac] }
        var username = ""
        if set == "my-nodes" {
            guard let name = try await requester.username(), !name.isEmpty else { return nil }
            username = name
        }
        if let keyword = try await queries.keywordMACs(set, username: username) { return keyword }
        guard let device = try await queries.info(name: set) else {
            try await requester.stderr("No device with name '\(set)' found.\n")
            return nil
        }
        return [device.mac]
    }

    /// Upstream's `parse_device_set`: the devices sorted by name, or nil after an error.
    func parse(_ set: String?, allowed: String? = nil, allowEmpty: Bool = false) async throws -> [DeviceInfo]? {
        guard let macs = try await macs(set ?? "my-nodes") else { return nil }
        if let allowed {
            guard let allowedMACs = try await self.macs(allowed) else { return nil }
            if !Set(macs).subtracting(allowedMACs).isEmpty {
                try await requester.stderr("Invalid value '\(set ?? "None")'; allowed devices belong to '\(allowed)'\n")
                return nil
            }
        }
        if macs.isEmpty && !allowEmpty {
            try await requester.stderr(Self.noMatch)
            return nil
        }
        return try await queries.info(macs: macs)
    }

    /// Upstream's `parse_node_set`: like `parse`, but every device must be a node.
    func parseNodes(_ set: String?) async throws -> [DeviceInfo]? {
        guard let devices = try await parse(set) else { return nil }
        for device in devices where device.type != "node" {
            try await requester.stderr("\(device.name) is not a node, it is a \(device.type).\n")
            return nil
        }
        return devices
    }

    /// A device by name, with upstream's error when unknown.
    func device(named name: String) async throws -> DeviceInfo? {
        if let device = try await queries.info(name: name) { return device }
        try await requester.stderr("No device with name '\(name)' found.\n")
        return nil
    }

    /// A node by name, with upstream's errors for an unknown name or another device type.
    func node(named name: String) async throws -> DeviceInfo? {
        guard let device = try await device(named: name) else { return nil }
        guard device.type == "node" else {
            try await requester.stderr("\(name) is not a node, it is a \(device.type).\n")
            return nil
        }
        return device
    }
}
