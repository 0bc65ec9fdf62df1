import WaltCommon

/// How upstream answers a `bottle.HTTPError`: its `MyBottle.default_error_handler` looks at
/// the `Prefer` header: `errors=text-only` gives the text and a newline (`text/plain`),
/// `errors=json` gives `{"error": <text>, "status_code": <code>}`; anything else gives
/// bottle's default HTML error page (rendered here the way bottle 0.12's template renders).
enum ErrorPage {
    static func response(_ error: WebError, for request: WebRequest) -> WebResponse {
        if let prefer = request.header("Prefer"), prefer.hasPrefix("errors=") {
            switch prefer.dropFirst("errors=".count) {
            case "text-only": return .text(error.text + "\n", status: error.status)
            case "json":
                return .json(.object([("error", .string(error.text)), ("status_code", .int(error.status))]),
                             status: error.status)
            default: break
            }
        }
        return .html(html(error, url: url(of: request)), status: error.status)
    }

    /// bottle's `request.url`: scheme, the Host header (or the local address), the path
    /// quoted again, the query string.
    static func url(of request: WebRequest) -> String {
        let host = request.header("Host") ?? request.localHost
        var url = "http://" + host + quote(request.path)
        if !request.rawQuery.isEmpty { url += "?" + request.rawQuery }
        return url
    }

    /// Python's `urllib.parse.quote(path)` (safe: letters, digits, `_.-~` and `/`).
    static func quote(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }

    /// bottle's `html_escape`.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#039;"
            default: out.append(character)
            }
        }
        return out
    }

    static func statusLine(_ status: Int) -> String {
        "\(status) \(reasons[status] ?? "Unknown")"
    }

    /// Python's `http.client.responses` for the codes this service sends.
    static let reasons: [Int: String] = [
        200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error",
    ]

    static func html(_ error: WebError, url: String) -> String {
        let status = escape(statusLine(error.status))
        return """

                <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
                <html>
                    <head>
                        <title>Error: \(status)</title>
                        <style type="text/css">
                          html {background-color: #eee; font-family: sans;}
                          body {background-color: #fff; border: 1px solid #ddd;
                                padding: 15px; margin: 15px;}
                          pre {background-color: #eee; border: 1px solid #ddd; padding: 5px;}
                        </style>
                    </head>
                    <body>
                        <h1>Error: \(status)</h1>
                        <p>Sorry, the requested URL <tt>\(escape(PythonRepr.repr(url)))</tt>
                           caused an error:</p>
                        <pre>\(escape(error.text))</pre>
                    </body>
                </html>

            """
    }
}
