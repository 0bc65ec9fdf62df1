import Foundation

/// A small raw HTTP/1.1 client over `LoopbackPeer`, so a test chooses its source address
/// (the daemon's `/boot` serves the requester's own files) and sees the exact bytes: status,
/// headers, body, and that a HEAD answer has none.
struct HTTPProbe {
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as a JSON object (Foundation's reader).
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any]
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let host: String
    var port: UInt16 = 80
    var source = "127.0.0.1"

    /// One request on its own connection (`Connection: close`), read to the end.
    func request(_ target: String, method: String = "GET", headers: [String: String] = [:]) throws -> Response {
        let peer = try LoopbackPeer(from: source, to: host, port: port, timeout: 30)
        defer { peer.close() }
        peer.send(Self.requestText(target, method: method, host: host, headers: headers.merging(["Connection": "close"]) { $1 }))
        var raw: [UInt8] = []
        while true {
            let chunk = peer.receive(atMost: 65_536)
            if chunk.isEmpty { break }
            raw += chunk
        }
        guard let (response, rest) = Self.parse(raw, bodyless: method == "HEAD") else {
            throw Failure(description: "no complete HTTP response to \(method) \(target): \(String(decoding: raw, as: UTF8.self))")
        }
        guard rest.isEmpty else { throw Failure(description: "\(rest.count) bytes after the announced body") }
        return response
    }

    /// Several requests on one kept-alive connection, answered in order.
    func requests(_ targets: [String]) throws -> [Response] {
        let peer = try LoopbackPeer(from: source, to: host, port: port, timeout: 30)
        defer { peer.close() }
        var responses: [Response] = []
        var buffered: [UInt8] = []
        for target in targets {
            peer.send(Self.requestText(target, method: "GET", host: host, headers: [:]))
            while true {
                if let (response, rest) = Self.parse(buffered, bodyless: false) {
                    responses.append(response)
                    buffered = rest
                    break
                }
                let chunk = peer.receive(atMost: 65_536)
                guard !chunk.isEmpty else { throw Failure(description: "connection ended before the answer to \(target)") }
                buffered += chunk
            }
        }
        return responses
    }

    static func requestText(_ target: String, method: String, host: String, headers: [String: String]) -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }

    /// One response with a `Content-Length` body, and the bytes after it; nil while incomplete.
    static func parse(_ raw: [UInt8], bodyless: Bool) -> (Response, [UInt8])? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0...max(0, raw.count - 4)).first(where: { raw.count >= 4 && Array(raw[$0..<$0 + 4]) == separator })
        else { return nil }
        let lines = String(decoding: raw[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = bodyless ? 0 : Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        let bodyStart = end + 4
        guard raw.count >= bodyStart + length else { return nil }
        return (Response(status: status, headers: headers, body: Array(raw[bodyStart..<bodyStart + length])),
                Array(raw[(bodyStart + length)...]))
    }

    /// Waits until the port accepts connections (it is bound shortly after the RPC port).
    func waitUntilListening(seconds: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let peer = try? LoopbackPeer(from: source, to: host, port: port, timeout: 1) {
                peer.close()
                return true
            }
            usleep(100_000)
        }
        return false
    }
}
