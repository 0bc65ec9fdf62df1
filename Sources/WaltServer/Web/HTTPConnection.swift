import Logging
import NIOCore
import NIOHTTP1

/// One HTTP connection: requests in order (NIO's pipeline handler holds pipelined ones back
/// until the previous answer is written), each answered with a `Content-Length`, kept alive
/// as the client asks. Request bodies are read and dropped: no route takes one.
struct HTTPConnection {
    let connection: HTTPService.Connection
    let router: WebRouter
    let logger: Logger
    /// How long a finished connection waits for the client to hang up.
    static let hangUpDelay: TimeAmount = .seconds(15)

    func run() async throws {
        let channel = connection.channel
        let peerIP = channel.remoteAddress?.ipAddress
        let localHost = Self.hostText(channel.localAddress)
        try await connection.executeThenClose { inbound, outbound in
            var parts = inbound.makeAsyncIterator()
            var head: HTTPRequestHead?
            requests: while let part = try await parts.next() {
                switch part {
                case .head(let received): head = received
                case .body: continue
                case .end:
                    guard let request = head else { continue }
                    head = nil
                    let response = await router.respond(to: WebRequest(
                        method: request.method.rawValue, target: request.uri,
                        headers: request.headers.map { ($0.name, $0.value) }, peerIP: peerIP, localHost: localHost))
                    try await write(response, to: request, outbound)
                    if !request.isKeepAlive { break requests }
                }
            }
            // FIN goes after what is queued; the connection closes once the client hangs up
            // (closing now could drop the tail of a large answer).
            outbound.finish()
            channel.eventLoop.scheduleTask(in: Self.hangUpDelay) { channel.close(promise: nil) }
            while try await parts.next() != nil {}
        }
    }

    private func write(_ response: WebResponse, to request: HTTPRequestHead,
                       _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        defer { if case .file(let file) = response.body { file.close() } }
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Content-Length", value: String(response.contentLength))
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        try await outbound.write(.head(HTTPResponseHead(version: request.version,
                                                        status: HTTPResponseStatus(statusCode: response.status),
                                                        headers: headers)))
        let sendsBody = request.method != .HEAD
        switch response.body {
        case .bytes(let bytes):
            // NIO's encoder refuses a body in an answer to HEAD.
            if sendsBody && !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        case .file(let file):
            var offset = 0
            while sendsBody && offset < file.size {
                let chunk = try await file.chunk(at: offset)
                // A file that shrank meanwhile: the length announced cannot be kept.
                guard chunk.readableBytes > 0 else { throw FileShrank() }
                offset += chunk.readableBytes
                try await outbound.write(.body(.byteBuffer(chunk)))
            }
        }
        try await outbound.write(.end(nil))
        logger.debug("answered", metadata: ["request": "\(request.method) \(request.uri)", "status": "\(response.status)"])
    }

    struct FileShrank: Error {}

    /// `address` or `address:port` (port 80 left out), as bottle builds URLs without a Host.
    static func hostText(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress else { return "127.0.0.1" }
        let host = ip.contains(":") ? "[\(ip)]" : ip
        return address.port == 80 || address.port == nil ? host : "\(host):\(address.port!)"
    }
}
