/// Splits received bytes into RPC messages in the current mode, and encodes outgoing ones.
///
/// Owns both the line buffer and the pickle decoder, so bytes that follow a SET_MODE line
/// in the same read are decoded in the new mode, and bytes left after the last pickle go
/// back to line mode on a switch back.
public struct RPCFramer {
    public private(set) var mode: RPCMode = .lineReprEval
    public let maxLineLength: Int
    private var lineBuffer: [UInt8] = []
    private var pickles: PickleDecoder

    public init(maxLineLength: Int = 1 << 20, pickleLimits: PickleLimits = PickleLimits()) {
        self.maxLineLength = maxLineLength
        pickles = PickleDecoder(limits: pickleLimits)
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        switch mode {
        case .lineReprEval: lineBuffer.append(contentsOf: bytes)
        case .pickle4: pickles.feed(bytes)
        }
    }

    /// True when a message has started arriving but is not complete.
    public var isInsideMessage: Bool {
        mode == .lineReprEval ? !lineBuffer.isEmpty : pickles.isInsideMessage
    }

    /// The next raw line (handshake), without `\n` and a trailing `\r`.
    public mutating func nextLine() throws(RPCProtocolError) -> [UInt8]? {
        guard mode == .lineReprEval else { throw RPCProtocolError("handshake line expected in line mode") }
        guard let newline = lineBuffer.firstIndex(of: UInt8(ascii: "\n")) else {
            guard lineBuffer.count <= maxLineLength else { throw RPCProtocolError("line longer than \(maxLineLength) bytes") }
            return nil
        }
        var line = Array(lineBuffer[..<newline])
        lineBuffer.removeSubrange(...newline)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line
    }

    /// The next complete message value in the current mode.
    public mutating func nextValue() throws(RPCProtocolError) -> PyValue? {
        switch mode {
        case .lineReprEval:
            guard let line = try nextLine() else { return nil }
            do {
                return try PythonLiteralParser.parse(utf8: line, maxLength: maxLineLength)
            } catch {
                throw RPCProtocolError("unreadable line message: \(error)")
            }
        case .pickle4:
            do {
                return try pickles.next()
            } catch {
                throw RPCProtocolError("unreadable pickle message: \(error)")
            }
        }
    }

    /// Switches the received-bytes mode, carrying over what is already buffered.
    public mutating func switchMode(to newMode: RPCMode) {
        guard newMode != mode else { return }
        switch newMode {
        case .pickle4:
            pickles.feed(lineBuffer)
            lineBuffer = []
        case .lineReprEval:
            lineBuffer = pickles.takeBufferedBytes() + lineBuffer
        }
        mode = newMode
    }

    /// Encodes one message for the wire in `mode`.
    public static func encode(_ message: RPCMessage, mode: RPCMode) throws(RPCProtocolError) -> [UInt8] {
        switch mode {
        case .pickle4:
            return PickleEncoder.encode(message.value)
        case .lineReprEval:
            do {
                return Array(try PythonRepr.repr(message.value).utf8) + [UInt8(ascii: "\n")]
            } catch {
                throw RPCProtocolError("cannot send in line mode: \(error)")
            }
        }
    }
}
