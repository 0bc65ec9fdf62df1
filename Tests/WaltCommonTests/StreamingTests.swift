import Testing
@testable import WaltCommon

/// The decoder finds message ends from the bytes alone, whatever the chunking.
@Suite struct StreamingTests {
    static let values: [PyValue] = {
        var generator = CorpusGenerator(seed: 42)
        generator.largeBudget = 2
        var values: [PyValue] = [
            .tuple(["API_CALL", "stdout.write", .tuple(["text\n"]), [:]]),
            .bytes([UInt8](repeating: 9, count: 70_000)),
            .list([.bytes([UInt8](repeating: 1, count: 65_536)), .str(String(repeating: "é", count: 40_000))]),
        ]
        for _ in 0..<150 { values.append(generator.value(depth: 3)) }
        return values
    }()

    static func decodeAll(_ chunks: [[UInt8]]) throws -> [PyValue] {
        var decoder = PickleDecoder()
        var out: [PyValue] = []
        for chunk in chunks {
            decoder.feed(chunk)
            while let value = try decoder.next() { out.append(value) }
        }
        #expect(!decoder.isInsideMessage)
        return out
    }

    @Test func oneByteAtATimeEqualsWhole() throws {
        for value in Self.values {
            let bytes = PickleEncoder.encode(value)
            let whole = try Self.decodeAll([bytes])
            let single = try Self.decodeAll(bytes.map { [$0] })
            #expect(whole == [value])
            #expect(single == whole)
        }
    }

    @Test func messagesBackToBackInOneBufferAndRandomChunks() throws {
        var stream: [UInt8] = []
        for value in Self.values { stream += PickleEncoder.encode(value) }
        #expect(try Self.decodeAll([stream]) == Self.values)
        var rng = SeededRandom(seed: 7)
        var chunks: [[UInt8]] = []
        var index = 0
        while index < stream.count {
            let size = Int.random(in: 1...3000, using: &rng)
            chunks.append(Array(stream[index..<min(stream.count, index + size)]))
            index += size
        }
        #expect(try Self.decodeAll(chunks) == Self.values)
    }

    @Test func partialMessageIsReported() throws {
        let bytes = PickleEncoder.encode(.tuple(["RESULT", "alice"]))
        var decoder = PickleDecoder()
        decoder.feed(bytes.dropLast())
        #expect(try decoder.next() == nil)
        #expect(decoder.isInsideMessage)
        decoder.feed([bytes[bytes.count - 1]] + [0x80])
        #expect(try decoder.next() == .tuple(["RESULT", "alice"]))
        #expect(try decoder.next() == nil)
        #expect(decoder.isInsideMessage)
        #expect(decoder.takeBufferedBytes() == [0x80])
    }

    @Test func errorsAreSticky() {
        var decoder = PickleDecoder()
        decoder.feed([0xff, 0x2e])
        #expect(throws: PickleError.unknownOpcode(0xff, offset: 0)) { try decoder.next() }
        decoder.feed(PickleEncoder.encode(1))
        #expect(throws: PickleError.unknownOpcode(0xff, offset: 0)) { try decoder.next() }
    }
}
