/// Incremental decoder for a stream of pickles (protocol 0-5 opcodes, as CPython's
/// protocol 4 emits them) with no length prefix between messages, as on WalT's ports.
///
/// Feed bytes as they arrive, in any chunking; `next()` returns each message's value once
/// its STOP opcode is in, and nil while the message is incomplete. Every opcode's size is
/// checked against `PickleLimits` before waiting for (or allocating) its payload. After an
/// error the stream is out of sync: `next()` keeps throwing it.
public struct PickleDecoder {
    public let limits: PickleLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var machine: PickleMachine
    /// Bytes of the current message consumed so far.
    private var consumed = 0
    private var failure: PickleError?

    public init(limits: PickleLimits = PickleLimits()) {
        self.limits = limits
        machine = PickleMachine(limits: limits)
    }

    /// Decodes exactly one complete pickle from `bytes`; trailing bytes are an error.
    public static func decode(_ bytes: some Sequence<UInt8>, limits: PickleLimits = PickleLimits()) throws(PickleError) -> PyValue {
        var decoder = PickleDecoder(limits: limits)
        decoder.feed(bytes)
        guard let value = try decoder.next() else { throw .malformed("truncated pickle", offset: decoder.consumed) }
        guard decoder.bufferedByteCount == 0 else {
            throw .malformed("\(decoder.bufferedByteCount) bytes after STOP", offset: decoder.consumed)
        }
        return value
    }

    /// Appends received bytes.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes fed but not yet consumed by a complete opcode.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True when part of a message has been received (a disconnect now would cut it).
    public var isInsideMessage: Bool { consumed > 0 || readIndex < buffer.count }

    /// Removes and returns the bytes not consumed yet, for a peer that switches to another
    /// framing after its last pickle. Only meaningful between messages.
    public mutating func takeBufferedBytes() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        buffer = []
        readIndex = 0
        return rest
    }

    /// The next complete message, or nil if more bytes are needed.
    public mutating func next() throws(PickleError) -> PyValue? {
        if let failure { throw failure }
        do {
            while true {
                switch try step() {
                case .needMore: return nil
                case .executed: continue
                case .finished(let value):
                    machine = PickleMachine(limits: limits)
                    consumed = 0
                    return value
                }
            }
        } catch {
            failure = error
            throw error
        }
    }

    private enum StepResult {
        case needMore
        case executed
        case finished(PyValue)
    }

    /// Executes one opcode if it is complete in the buffer.
    private mutating func step() throws(PickleError) -> StepResult {
        let available = buffer.count - readIndex
        guard available > 0 else { return .needMore }
        let code = buffer[readIndex]
        guard let op = PickleOpcode(rawValue: code) else { throw .unknownOpcode(code, offset: consumed) }
        let argStart: Int, total: Int
        switch op.argumentLayout {
        case .fixed(let size):
            argStart = 1
            total = 1 + size
        case .counted(let lengthBytes):
            try checkSize(1 + lengthBytes)
            guard available >= 1 + lengthBytes else { return .needMore }
            let lengthField = buffer[(readIndex + 1)..<(readIndex + 1 + lengthBytes)]
            var length = PickleMachine.littleEndian(lengthField)
            if op == .long4 {
                guard length & 0x8000_0000 == 0 else { throw .malformed("LONG4 with a negative length", offset: consumed) }
            }
            guard length <= UInt64(limits.maxMessageSize) else { throw .messageTooLarge(limit: limits.maxMessageSize) }
            length = min(length, UInt64(Int.max / 2))
            argStart = 1 + lengthBytes
            total = argStart + Int(length)
        case .twoLines:
            guard let end = try findSecondNewline() else { return .needMore }
            argStart = 1
            total = end
        }
        try checkSize(total)
        guard available >= total else { return .needMore }
        if op == .frame {
            let frameLength = PickleMachine.littleEndian(buffer[(readIndex + 1)..<(readIndex + 9)])
            guard frameLength <= UInt64(limits.maxMessageSize - consumed) else {
                throw .messageTooLarge(limit: limits.maxMessageSize)
            }
        }
        machine.offset = consumed
        let arg = buffer[(readIndex + argStart)..<(readIndex + total)]
        let result = try machine.execute(op, arg)
        readIndex += total
        consumed += total
        if let result { return .finished(result) }
        return .executed
    }

    private func checkSize(_ needed: Int) throws(PickleError) {
        if consumed + needed > limits.maxMessageSize { throw .messageTooLarge(limit: limits.maxMessageSize) }
    }

    /// GLOBAL's argument: returns the opcode length through the second newline. Module and
    /// class names longer than 256 bytes are refused (none of the allowed ones is).
    private func findSecondNewline() throws(PickleError) -> Int? {
        var newlines = 0
        var i = readIndex + 1
        while i < buffer.count {
            if buffer[i] == UInt8(ascii: "\n") {
                newlines += 1
                if newlines == 2 { return i - readIndex + 1 }
            }
            i += 1
            if i - readIndex > 512 { throw .malformed("GLOBAL names too long", offset: consumed) }
        }
        try checkSize(i - readIndex + 1)
        return nil
    }
}
