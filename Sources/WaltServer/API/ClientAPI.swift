#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// CSAPI: what the `walt` client and the Python scripting API call (server.md §3.1).
enum ClientAPI {
    static let methods: [String: APIMethod] = baseMethods
        .merging(logMethods) { first, _ in first }
        .merging(deviceMethods) { first, _ in first }
        .merging(topologyMethods) { first, _ in first }
        .merging(configMethods) { first, _ in first }
        .merging(nodeMethods) { first, _ in first }
        .merging(imageMethods) { first, _ in first }
        .merging(imageCloneMethods) { first, _ in first }
        .merging(registryMethods) { first, _ in first }
        .merging(imageSessionMethods) { first, _ in first }
        .merging(nodeImageMethods) { first, _ in first }
        .merging(completionMethods) { first, _ in first }
        .merging(virtualNodeMethods) { first, _ in first }

    static let baseMethods: [String: APIMethod] = [
        "show_nodes": APIMethod(["username", "show_all", "names_only"], defaults: ["names_only": false]) { context, args in
            let rows = try await DeviceRepository(store: context.daemon.store).nodeShowRows()
            let text = NodeShow.render(rows: rows, username: try args.string("username"), showAll: args.bool("show_all"),
                                       namesOnly: args.bool("names_only"), booted: context.daemon.booted)
            return .str(text)
        },
        "get_time": APIMethod { _, _ in .float(ServerClock.now()) },
    ]
}

/// Wall-clock time as Python's `time.time()` gives it.
enum ServerClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
