/// Reads the node log protocol (request 0, `walt-log-tee`): a stream-name line, then
/// `NO_TIMESTAMPS` (the server stamps lines on arrival) or `TIMESTAMPS_INSIDE` (each line
/// is `<epoch float> <text>`), then log lines, and `CLOSE` at the end. A disconnection
/// without CLOSE logs `<disconnected!>` as upstream does.
public struct IncomingLogReader {
    public enum Action: Equatable, Sendable {
        /// The header is complete.
        case stream(name: String, serverTimestamps: Bool)
        /// One log line; `timestamp` is nil when the server must stamp it (or the node's
        /// stamp is not a number).
        case line(String, timestamp: Double?)
        /// The node sent CLOSE or went away.
        case closed
        case failure(String)
    }

    private enum State {
        case awaitingName
        case awaitingMode(name: String)
        case lines(serverTimestamps: Bool)
        case finished
    }

    public static let disconnectedLine = "<disconnected!>"
    public let maxLineLength: Int
    private var state = State.awaitingName
    private var buffer: [UInt8] = []

    public init(maxLineLength: Int = 1 << 20) {
        self.maxLineLength = maxLineLength
    }

    public mutating func received(_ bytes: some Sequence<UInt8>) -> [Action] {
        if case .finished = state { return [] }
        buffer.append(contentsOf: bytes)
        var actions: [Action] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: buffer[start..<newline], as: UTF8.self)
            start = newline + 1
            if let action = handle(line) { actions.append(action) }
            if case .finished = state { break }
        }
        buffer.removeFirst(start)
        if case .finished = state {
            buffer = []
        } else if buffer.count > maxLineLength {
            state = .finished
            buffer = []
            actions.append(.failure("log line longer than \(maxLineLength) bytes"))
        }
        return actions
    }

    private mutating func handle(_ line: String) -> Action? {
        switch state {
        case .awaitingName:
            state = .awaitingMode(name: line.trimmingSpaces)
            return nil
        case .awaitingMode(let name):
            let serverTimestamps = line.trimmingSpaces == "NO_TIMESTAMPS"
            state = .lines(serverTimestamps: serverTimestamps)
            return .stream(name: name, serverTimestamps: serverTimestamps)
        case .lines(let serverTimestamps):
            if line == "CLOSE" {
                state = .finished
                return .closed
            }
            if serverTimestamps { return .line(line, timestamp: nil) }
            guard let space = line.firstIndex(of: " ") else { return .line("", timestamp: Double(line)) }
            return .line(String(line[line.index(after: space)...]), timestamp: Double(line[..<space]))
        case .finished:
            return nil
        }
    }

    /// The connection ended.
    public mutating func receivedEOF() -> [Action] {
        guard case .lines = state else {
            state = .finished
            return [.closed]
        }
        // Upstream appends "<disconnected!>\nCLOSE\n" to what it holds, so a partial
        // last line is glued to the marker.
        let partial = String(decoding: buffer, as: UTF8.self)
        buffer = []
        let last = handle(partial + Self.disconnectedLine)
        state = .finished
        return (last.map { [$0] } ?? []) + [.closed]
    }

    /// Upstream replaces node timestamps more than ten years old or in the future by the
    /// arrival time.
    public static func acceptedTimestamp(_ timestamp: Double?, arrival: Double) -> Double {
        guard let timestamp, timestamp >= arrival - 10 * 365 * 86_400, timestamp <= arrival + 1 else { return arrival }
        return timestamp
    }
}
