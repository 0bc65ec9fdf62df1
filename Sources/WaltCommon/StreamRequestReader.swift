/// The server side of a port-12347 connection's head, as a pure state machine: the id
/// line, `READY\n` (or `OK\n` for bootup notifications), and the pickled parameters.
/// After `.request`, the connection carries the request's own protocol; bytes already
/// received for it are in `takeRemainingBytes()`.
public struct StreamRequestReader {
    public enum Action: Sendable, Equatable {
        /// Bytes to write (`READY\n` or `OK\n`).
        case send([UInt8])
        /// The head is complete: `parameters` is the dict, or nil for requests without one.
        case request(StreamRequest, parameters: PyValue?)
        /// Upstream prints "Invalid request." and closes; so do we.
        case refuse(reason: String)
    }

    private enum State {
        case awaitingID
        case awaitingParameters(StreamRequest)
        case done
        case refused
    }

    public static let ready = Array("READY\n".utf8)
    public static let ok = Array("OK\n".utf8)
    public static let maxIDLineLength = 64

    private var state = State.awaitingID
    private var buffer: [UInt8] = []
    private var pickles: PickleDecoder

    public init(parameterLimits: PickleLimits = PickleLimits(maxMessageSize: 1 << 20)) {
        pickles = PickleDecoder(limits: parameterLimits)
    }

    public mutating func received(_ bytes: some Sequence<UInt8>) -> [Action] {
        var actions: [Action] = []
        switch state {
        case .refused:
            return []
        case .done:
            buffer.append(contentsOf: bytes)
            return []
        case .awaitingID:
            buffer.append(contentsOf: bytes)
            guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.count > Self.maxIDLineLength { return [refuse("request line too long")] }
                return []
            }
            let line = buffer[..<newline]
            guard let request = StreamRequest(line: line), request.isStreamPortRequest else {
                return [refuse("invalid request \(PythonRepr.repr(Array(line.prefix(Self.maxIDLineLength))))")]
            }
            let rest = Array(buffer[(newline + 1)...])
            buffer = []
            if request.startsWithReady { actions.append(.send(Self.ready)) }
            if request == .notifyBootupStatus { actions.append(.send(Self.ok)) }
            guard request.hasParameters else {
                state = .done
                buffer = rest
                actions.append(.request(request, parameters: nil))
                return actions
            }
            state = .awaitingParameters(request)
            pickles.feed(rest)
        case .awaitingParameters:
            pickles.feed(bytes)
        }
        guard case .awaitingParameters(let request) = state else { return actions }
        do {
            guard let parameters = try pickles.next() else { return actions }
            guard case .dict = parameters else {
                actions.append(refuse("parameters are a \(parameters.typeName), not a dict"))
                return actions
            }
            state = .done
            buffer = pickles.takeBufferedBytes()
            actions.append(.request(request, parameters: parameters))
        } catch {
            actions.append(refuse("unreadable parameters: \(error)"))
        }
        return actions
    }

    /// Bytes received after the head, for the request's own protocol.
    public mutating func takeRemainingBytes() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }

    private mutating func refuse(_ reason: String) -> Action {
        state = .refused
        buffer = []
        return .refuse(reason: reason)
    }
}
