import NIOCore
import WaltCommon

/// Pulls bytes from a connection for decoders that need more than one chunk: lines for the
/// handshakes, Python-literal lines, back-to-back pickles with no length prefix.
///
/// Owned by one connection task. Leftover bytes after a handshake line stay buffered for the
/// next reader, so a client that sends its handshake and first message in one packet works.
public struct ByteSource {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case lineTooLong(limit: Int)
        case pickle(PickleError)
        case literal(String)

        public var description: String {
            switch self {
            case .lineTooLong(let limit): return "line longer than \(limit) bytes"
            case .pickle(let error): return "bad pickle: \(error)"
            case .literal(let message): return "bad Python literal: \(message)"
            }
        }
    }

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending: [UInt8] = []
    private var pickles = PickleDecoder()

    public init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        iterator = inbound.makeAsyncIterator()
    }

    /// The next chunk from the peer, or nil at EOF.
    private mutating func receive() async throws -> [UInt8]? {
        guard var buffer = try await iterator.next() else { return nil }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// Reads one `\n`-terminated line (without it); nil at EOF before a full line.
    public mutating func readLine(limit: Int = 64 * 1024) async throws -> [UInt8]? {
        var searchFrom = 0
        while true {
            if let newline = pending[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                return line
            }
            guard pending.count <= limit else { throw Failure.lineTooLong(limit: limit) }
            searchFrom = pending.count
            guard let chunk = try await receive() else { return nil }
            pending += chunk
        }
    }

    /// Reads one line and parses it as a Python literal (line-repr-eval mode), never
    /// evaluating anything; nil at EOF.
    public mutating func readLiteralLine(limit: Int = 1 << 20) async throws -> PyValue? {
        guard let line = try await readLine(limit: limit) else { return nil }
        do {
            return try PythonLiteralParser.parse(utf8: line)
        } catch {
            throw Failure.literal("\(error)")
        }
    }

    /// Reads one pickle; nil at a clean EOF between messages.
    public mutating func readPickle() async throws -> PyValue? {
        if !pending.isEmpty {
            pickles.feed(pending)
            pending.removeAll()
        }
        while true {
            do {
                if let value = try pickles.next() { return value }
            } catch {
                throw Failure.pickle(error)
            }
            guard let chunk = try await receive() else {
                if pickles.isInsideMessage { throw Failure.pickle(.malformed("connection closed inside a message", offset: 0)) }
                return nil
            }
            pickles.feed(chunk)
        }
    }

    /// Hands back bytes the pickle decoder holds (after a switch back to line mode).
    public mutating func reclaimPickleBuffer() {
        pending = pickles.takeBufferedBytes() + pending
    }
}
