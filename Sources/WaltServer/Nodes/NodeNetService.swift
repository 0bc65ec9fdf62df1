#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import WaltCommon

/// A request to the service every WalT node runs on TCP 12346 (upstream's
/// `walt-net-service`): `MODE single`, the request (`REBOOT`, `BLINK 1`...), one answer
/// line. The result is `"OK"` or the reason it failed, worded as upstream's
/// `ServerToNodeRequest` (these reasons end up in users' error messages).
struct NodeNetService {
    static let port = 12346
    static let delay: TimeAmount = .seconds(15)

    let ip: String

    func request(_ request: String) async -> String {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(Self.delay)
                .connect(host: ip, port: Self.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            return Self.connectFailure(error)
        }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "MODE single\n\(request)\n"))
                return try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        var line: [UInt8] = []
                        for try await var chunk in inbound {
                            let bytes = chunk.readBytes(length: chunk.readableBytes) ?? []
                            if let end = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                                line += bytes[..<end]
                                return Self.answer(line)
                            }
                            line += bytes
                        }
                        return Self.answer(line)
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(15))
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    group.cancelAll()
                    return first ?? "Timed out waiting for reply"
                }
            }
        } catch {
            return "Broken connection"
        }
    }

    /// `OK`, else the text after the first word, else a generic complaint.
    static func answer(_ line: [UInt8]) -> String {
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 1).map { String($0).trimmingSpaces }
        if parts.first == "OK" { return "OK" }
        if parts.count == 2 { return parts[1] }
        return "Node did not respond properly"
    }

    /// What a failed connect reads as, in the words of Python's `str(e)`-based message:
    /// NIO wraps the errno of each attempt in a `NIOConnectionError`, which is unwrapped so
    /// that a dead node reads "No route to host" (as upstream reports it), not "refused".
    static func connectFailure(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return connectFailure(first.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return connectFailure(dns) }
            return "Connection refused"
        case ChannelError.connectTimeout:
            return "Connection timed out"
        case let error as IOError:
            return reason(error.errnoCode)
        default:
            return "\(error)"
        }
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
