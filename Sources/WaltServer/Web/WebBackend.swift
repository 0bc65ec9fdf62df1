/// What the web service reads from the daemon. The daemon's own implementation
/// (`DaemonWebBackend`) reads the store, the image registry and the node tree; unit tests
/// route requests against an in-memory one.
protocol WebBackend: Sendable {
    /// Every node, sorted by name (upstream's `all-nodes` set), as `get_nodes_info` sees them.
    func nodes() async throws -> [DeviceInfo]
    /// Every WalT image of every user, as `get_images_tabular_data` sees them; `refresh`
    /// rereads podman first (`walt image show --refresh`).
    func images(refresh: Bool) async throws -> [ImageTable.Row]
    /// History lines matching `query`, oldest first, lines still buffered included.
    func logs(_ query: LogQuery) async throws -> [LogRepository.Row]
    /// A file of the node's boot directory, or nil (404) when there is none or the path
    /// leaves that directory.
    func bootFile(nodeIP: String, path: String) async throws -> OpenFile?
}
