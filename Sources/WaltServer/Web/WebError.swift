import WaltCommon

/// An error answer of the web service: upstream's `bottle.HTTPError(code, text)`. How it is
/// rendered (bottle's HTML page, plain text or JSON) depends on the request's `Prefer`
/// header: see `ErrorPage`.
struct WebError: Error, Sendable, Equatable {
    let status: Int
    let text: String

    init(_ status: Int, _ text: String) {
        self.status = status
        self.text = text
    }

    static func badRequest(_ text: String) -> WebError { WebError(400, text) }

    /// bottle's router, for a path no route matches: `Not found: '/x'`.
    static func notFound(path: String) -> WebError { WebError(404, "Not found: " + PythonRepr.repr(path)) }

    static let methodNotAllowed = WebError(405, "Method not allowed.")
    /// What upstream's daemon answers for a boot file it cannot open.
    static let noSuchFile = WebError(404, "No such file.")
}
