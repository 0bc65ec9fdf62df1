import WaltCommon
import WaltStore

/// Where `shell_autocomplete` gets its candidates: the database, as upstream reads it for
/// completion (names, images, checkpoints), the client for local paths, and nodes or image
/// containers for remote paths; nothing is ever written to the client.
struct ShellCompletionSource {
    let daemon: DaemonState
    let username: String
    /// For local paths, which the client lists (`filesystem.get_completions`), as upstream.
    let requester: any Requester

    var store: PostgresStore { daemon.store }

    /// The candidates for `argv` = `[TYPE, words..., partial]`, before the final filter.
    func candidates(_ argv: [String]) async throws -> [String] {
        let type = argv.first ?? ""
        let partial = argv.count > 1 ? argv[argv.count - 1] : ""
        switch type {
        case "NODE": return try await names("type = 'node'")
        case "SET_OF_NODES":
            return ShellCompletion.completeSet(try await names("type = 'node'") + ShellCompletion.nodeKeywords, partial: partial)
        case "DEVICE": return try await names("true")
        case "SWITCH": return try await names("type = 'switch'")
        case "SET_OF_DEVICES":
            return ShellCompletion.completeSet(try await names("true") + ShellCompletion.deviceKeywords, partial: partial)
        case "RESCAN_SET_OF_DEVICES":
            return ShellCompletion.completeSet(try await names("type = 'switch'") + ShellCompletion.rescanKeywords, partial: partial)
        case "SET_OF_ISSUERS":
            return ShellCompletion.completeSet(try await names("type IN ('node', 'server')") + ShellCompletion.issuerKeywords,
                                               partial: partial)
        case "IMAGE": return ShellCompletion.imageNames(try await ownImages())
        case "IMAGE_OR_DEFAULT": return ["default"] + ShellCompletion.imageNames(try await ownImages())
        case "NODE_CONFIG_PARAM", "DEVICE_CONFIG_PARAM": return try await settingNames(argv)
        case "PORT_CONFIG_PARAM": return partial.contains("=") ? [] : ["name="]
        case "IMAGE_CLONE_URL":
            if partial.hasPrefix("walt:") { return try await otherUsersImages().map { "walt:" + $0 } }
            return ["walt:", "docker-archive:", "oci-archive:"] + daemon.config.registries.map { $0.label + ":" }
        case "LOG_CHECKPOINT": return try await checkpoints()
        case "HISTORY_RANGE": return ShellCompletion.historyRange(partial: partial, checkpoints: try await checkpoints())
        case "REGISTRY": return daemon.config.registries.map(\.label) + ["auto"]
        case "NODE_CP_SRC", "IMAGE_CP_SRC", "NODE_CP_DST", "IMAGE_CP_DST":
            return try await copyOperands(type: type, argv: argv)
        default: return []
        }
    }

    private func names(_ condition: SQL) async throws -> [String] {
        try await store.query("SELECT name FROM devices WHERE \(condition) ORDER BY name", idempotent: true)
            .rows.compactMap { $0["name"] }
    }

    /// The user's images as users name them: `name`, or `name:tag` when the tag is not latest.
    private func ownImages() async throws -> [String] {
        let rows = try await store.query("SELECT fullname FROM images WHERE fullname LIKE \(username + "/%") ORDER BY fullname",
                                         idempotent: true).rows
        return rows.compactMap { row in
            guard let full = row["fullname"] else { return nil }
            let name = full.dropFirst(username.count + 1)
            return name.hasSuffix(":latest") ? String(name.dropLast(7)) : String(name)
        }
    }

    private func otherUsersImages() async throws -> [String] {
        try await store.query("SELECT fullname FROM images WHERE fullname NOT LIKE \(username + "/%") ORDER BY fullname",
                              idempotent: true).rows.compactMap { $0["fullname"] }
    }

    private func checkpoints() async throws -> [String] {
        try await store.query("SELECT name FROM checkpoints WHERE username = \(username) ORDER BY name", idempotent: true)
            .rows.compactMap { $0["name"] }
    }

    /// Setting names (`name=`) every device of the set accepts; the set is the last word
    /// before the partial one that is not itself a setting.
    private func settingNames(_ argv: [String]) async throws -> [String] {
        let partial = argv.last ?? ""
        if partial.contains("=") { return [] }
        guard let set = argv.dropFirst().dropLast().last(where: { !$0.contains("=") }) else { return [] }
        var macs: [String] = []
        for item in set.split(separator: ",") {
            let item = String(item)
            if item == "server" { macs.append(daemon.server.mac); continue }
            let queries = DeviceQueries(daemon: daemon)
            if let keyword = try await queries.keywordMACs(item, username: username) { macs += keyword; continue }
            guard let device = try await queries.info(name: item) else { return [] }
            macs.append(device.mac)
        }
        let entries = DeviceSettingsText.entries(try await DeviceQueries(daemon: daemon).info(macs: macs))
        guard var common = entries.first.map({ Set($0.settings.map(\.key)) }) else { return [] }
        for entry in entries.dropFirst() { common.formIntersection(entry.settings.map(\.key)) }
        return common.sorted().filter { $0.hasPrefix(partial) }.map { $0 + "=" }
    }

    /// `walt node cp` / `walt image cp` operands (upstream's `wf_complete_cp_src/dst`): local
    /// paths (from the client) and `<entity>:` prefixes, or the remote paths of the entity
    /// typed; `booted-image` as a node copy's destination when the source is on the node.
    private func copyOperands(type: String, argv: [String]) async throws -> [String] {
        let isNode = type.hasPrefix("NODE")
        let partial = argv.last ?? ""
        if type.hasSuffix("_DST"), argv.count >= 3, argv[argv.count - 2].contains(":") {
            return try await localPaths(partial) + (isNode ? ["booted-image"] : [])
        }
        var possible = type.hasSuffix("_SRC") && !partial.contains(":") ? try await localPaths(partial) : []
        let entities = isNode ? try await names("type = 'node'") : ShellCompletion.imageNames(try await ownImages())
        for entity in entities {
            if partial.hasPrefix(entity + ":") {
                let path = String(partial.dropFirst(entity.count + 1))
                // `img:tag:/x` is not looked for in an image `img`: the path holds a colon.
                if path.contains(":") { continue }
                let remote = RemotePathCompletion(daemon: daemon)
                let found = isNode ? try await remote.onNode(named: entity, prefix: path)
                    : try await remote.inImage(ImageName(user: username, name: entity), prefix: path)
                possible += found.map { entity + ":" + $0 }
            } else if entity.hasPrefix(partial) {
                possible.append(entity + ":")
            }
        }
        return possible
    }

    private func localPaths(_ partial: String) async throws -> [String] {
        (try await requester.call("filesystem.get_completions", [.str(partial)]).sequenceItems ?? [])
            .compactMap(\.stringValue)
    }
}
