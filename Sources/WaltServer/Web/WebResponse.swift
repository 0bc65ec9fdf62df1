/// One HTTP answer: status, headers and body (bytes, or an open file sent in chunks).
/// `Content-Length` is always set, so connections can stay open between requests.
struct WebResponse: Sendable {
    enum Body: Sendable {
        case bytes([UInt8])
        case file(OpenFile)
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var body: Body

    var contentLength: Int {
        switch body {
        case .bytes(let bytes): bytes.count
        case .file(let file): file.size
        }
    }

    /// bottle's type for a route returning a str.
    static let htmlType = "text/html; charset=UTF-8"

    static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", htmlType)], body: .bytes(Array(text.utf8)))
    }

    /// A dict returned by a bottle route: `json.dumps`, `application/json`.
    static func json(_ value: JSONValue, status: Int = 200) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "application/json")],
                    body: .bytes(Array(JSONWriter.text(value).utf8)))
    }

    static func text(_ text: String, status: Int) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/plain")], body: .bytes(Array(text.utf8)))
    }

    /// The body as text (tests, logs).
    var bodyText: String? {
        guard case .bytes(let bytes) = body else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
