import Logging

/// Upstream's routes (walt-server-httpd's bottle app), without the documentation and VPN
/// ones: `/`, `/index.html`, `/api`, `/api/index.html`, `/api/v1/{nodes,images,logs}` and
/// `/boot/<path>`. Routes answer GET, and HEAD like GET (the connection drops the body);
/// other methods get 405, unknown paths bottle's 404 `Not found: '<path>'`.
struct WebRouter: Sendable {
    let backend: any WebBackend
    let logger: Logger
    /// Seconds since the epoch (the logs' "future" check); tests pin it.
    let now: @Sendable () -> Double

    enum Route: Equatable {
        case welcome, apiPage, nodes, images, logs
        case boot(path: String)
    }

    static func route(_ path: String) -> Route? {
        switch path {
        case "/", "/index.html": return .welcome
        case "/api", "/api/index.html": return .apiPage
        case "/api/v1/nodes": return .nodes
        case "/api/v1/images": return .images
        case "/api/v1/logs": return .logs
        default:
            // bottle's `<path:path>` needs at least one character.
            if path.hasPrefix("/boot/") && path.count > "/boot/".count { return .boot(path: String(path.dropFirst(6))) }
            return nil
        }
    }

    func respond(to request: WebRequest) async -> WebResponse {
        guard let route = Self.route(request.path) else {
            return ErrorPage.response(.notFound(path: request.path), for: request)
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = ErrorPage.response(.methodNotAllowed, for: request)
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        do {
            switch try await answer(route, request) {
            case .success(let response): return response
            case .failure(let error): return ErrorPage.response(error, for: request)
            }
        } catch {
            logger.error("web request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return ErrorPage.response(WebError(500, "Internal Server Error"), for: request)
        }
    }

    private func answer(_ route: Route, _ request: WebRequest) async throws -> Result<WebResponse, WebError> {
        let api = WebAPIv1(backend: backend)
        switch route {
        case .welcome: return .success(.html(WebPages.welcome))
        case .apiPage: return .success(.html(WebPages.api))
        case .nodes: return try await api.nodes(request.query).map { .json($0) }
        case .images: return try await api.images(request.query).map { .json($0) }
        case .logs: return try await api.logs(request.query, now: now()).map { .json($0) }
        case .boot(let path):
            // A virtual node's requests come from the server itself: it names its address.
            guard let nodeIP = request.query["node_ip"] ?? request.peerIP,
                  let file = try await backend.bootFile(nodeIP: nodeIP, path: path) else {
                return .failure(.noSuchFile)
            }
            return .success(WebResponse(status: 200, headers: [("Content-Type", "application/octet-stream")],
                                        body: .file(file)))
        }
    }
}
