import NIOPosix
import WaltStore

/// The web service's view of the running daemon: the queries behind `get_nodes_info`, the
/// image store behind `get_images_tabular_data`, the log store behind log dumps (after a
/// flush, so lines already accepted are there) and the node tree the boot services write.
struct DaemonWebBackend: WebBackend {
    let daemon: DaemonState
    let bootFiles: BootFiles

    init(daemon: DaemonState, stateDirectory: String) {
        self.daemon = daemon
        bootFiles = BootFiles(nodesDirectory: stateDirectory + "/nodes")
    }

    func nodes() async throws -> [DeviceInfo] {
        let queries = DeviceQueries(daemon: daemon)
        let macs = try await queries.keywordMACs("all-nodes", username: "") ?? []
        return try await queries.info(macs: macs)
    }

    func images(refresh: Bool) async throws -> [ImageTable.Row] {
        // A development daemon (no server.conf) has no image store: no images.
        guard let images = daemon.images else { return [] }
        return try await images.exclusive {
            if refresh { try await images.rescan() }
            return try await images.rows(username: nil)
        }
    }

    func logs(_ query: LogQuery) async throws -> [LogRepository.Row] {
        let store = daemon.store
        do {
            return try await daemon.logHub.readAfterFlush { try await LogRepository(store: store).history(query) }.0
        } catch let error as StoreError where error.sqlstate == Self.invalidRegularExpression {
            // `stream` is a regex, unescaped as upstream: a bad one lists nothing there too
            // (its log dump fails and the web handler returns what it got).
            return []
        }
    }

    /// SQLSTATE `invalid_regular_expression`.
    static let invalidRegularExpression = "2201B"

    func bootFile(nodeIP: String, path: String) async throws -> OpenFile? {
        let bootFiles = bootFiles
        return try await NIOThreadPool.singleton.runIfActive { bootFiles.open(nodeIP: nodeIP, path: path) }
    }
}
