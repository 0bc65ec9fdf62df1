/// `/api/v1/nodes`, `/api/v1/images` and `/api/v1/logs`: upstream's `web_api_list_nodes`,
/// `web_api_list_images` and the httpd's log handler, over a `WebBackend`. Each returns the
/// JSON document (`{"num_X": N, "X": [...]}`) or the 400 error upstream gives.
struct WebAPIv1: Sendable {
    let backend: any WebBackend

    static let nodeFields: [String: QueryCast.Kind] = [
        "name": .str, "model": .str, "virtual": .bool, "image": .str, "booted": .bool, "ip": .str, "mac": .str,
    ]
    static let imageFields: [String: QueryCast.Kind] = ["fullname": .str, "user": .str, "id": .str, "in_use": .bool]

    func nodes(_ query: QueryString) async throws -> Result<JSONValue, WebError> {
        let nodes = try await backend.nodes().map(WebRecords.node)
        return QueryFilter.apply(nodes, fields: Self.nodeFields, query: query).map { Self.listing("nodes", $0) }
    }

    func images(_ query: QueryString) async throws -> Result<JSONValue, WebError> {
        var query = query
        var refresh = false
        // Popped before filtering, and cast even when empty (upstream's `refresh=` is a 400).
        if let text = query.remove("refresh") {
            switch QueryCast.convert(text, as: .bool) {
            case .failure(let error): return .failure(error)
            case .success(let value): refresh = value == .bool(true)
            }
        }
        let images = try await backend.images(refresh: refresh).map(WebRecords.image)
        return QueryFilter.apply(images, fields: Self.imageFields, query: query).map { Self.listing("images", $0) }
    }

    func logs(_ query: QueryString, now: Double) async throws -> Result<JSONValue, WebError> {
        let request: LogsRequest
        switch LogsRequest.parse(query, now: now) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): request = parsed
        }
        var rows: [LogRepository.Row] = []
        if let logQuery = request.logQuery { rows = try await backend.logs(logQuery) }
        return .success(Self.listing("logs", rows.map { WebRecords.log($0, milliseconds: request.milliseconds) }))
    }

    static func listing(_ name: String, _ items: [JSONValue]) -> JSONValue {
        .object([("num_" + name, .int(items.count)), (name, .array(items))])
    }
}
