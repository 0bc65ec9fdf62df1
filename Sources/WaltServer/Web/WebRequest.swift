/// One HTTP request as the routes see it: the method, the path with its percent escapes
/// decoded (as WSGI's `PATH_INFO`), the query parameters, the headers and the peer's address.
struct WebRequest: Sendable {
    var method: String
    /// The request target as sent (for the error page's URL).
    var target: String
    var path: String
    var rawQuery: String
    var query: QueryString
    var headers: [(name: String, value: String)]
    /// The peer's IPv4 address (an IPv4-mapped IPv6 address is given without `::ffff:`).
    var peerIP: String?
    /// The address and port the request came in on, for URLs when there is no Host header.
    var localHost: String

    init(method: String, target: String, headers: [(name: String, value: String)] = [], peerIP: String? = nil,
         localHost: String = "127.0.0.1") {
        self.method = method
        self.target = target
        self.headers = headers
        self.peerIP = peerIP.map(Self.unmapped)
        self.localHost = localHost
        var rest = Substring(target)
        // An absolute-form target (`http://host/path`) carries the path after the authority.
        if !rest.hasPrefix("/"), let scheme = rest.firstRange(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let queryStart = rest.firstIndex(of: "?")
        let rawPath = queryStart.map { rest[..<$0] } ?? rest
        rawQuery = queryStart.map { String(rest[rest.index(after: $0)...]) } ?? ""
        path = QueryString.decode(rawPath, plusIsSpace: false)
        query = QueryString(Substring(rawQuery))
    }

    /// The first value of a header, names compared without case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func unmapped(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}
