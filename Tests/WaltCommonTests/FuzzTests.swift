import Testing
@testable import WaltCommon

/// Random and mutated input: every frame ends as a value, an error, or "need more bytes";
/// never a crash, a hang or a runaway allocation.
@Suite struct FuzzTests {
    static let seeds: [[UInt8]] = {
        var generator = CorpusGenerator(seed: 99)
        generator.largeBudget = 0
        var seeds = [PickleGoldenTests.showNodesCall, PickleGoldenTests.logRecord, PickleGoldenTests.winSize]
        for _ in 0..<60 { seeds.append(PickleEncoder.encode(generator.value(depth: 3))) }
        return seeds.filter { $0.count < 4000 }
    }()

    static let interestingBytes: [UInt8] = [
        0x28, 0x2e, 0x30, 0x31, 0x32, 0x47, 0x4a, 0x4b, 0x4d, 0x4e, 0x52, 0x58, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68,
        0x6a, 0x7d, 0x73, 0x74, 0x75, 0x71, 0x72, 0x29, 0x42, 0x43, 0x80, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a,
        0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x93, 0x94, 0x95, 0x00, 0x01, 0x04, 0x0a, 0xff, 0x7f,
    ]

    static func mutate(_ input: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            let byte = Bool.random(using: &rng) ? interestingBytes.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0...5, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes = Array(bytes.prefix(position))
            case 4:
                let other = seeds.randomElement(using: &rng) ?? []
                let start = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &rng)
                bytes.insert(contentsOf: other[start..<min(other.count, start + 12)], at: position)
            default:
                if !bytes.isEmpty { bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &rng) }
            }
        }
        return bytes
    }

    static func randomFrame(_ rng: inout SeededRandom) -> [UInt8] {
        let count = Int.random(in: 0...48, using: &rng)
        var bytes: [UInt8] = Bool.random(using: &rng) ? [0x80, 0x04] : []
        for _ in 0..<count {
            bytes.append(Int.random(in: 0...3, using: &rng) == 0 ? UInt8.random(in: 0...255, using: &rng)
                         : interestingBytes.randomElement(using: &rng) ?? 0)
        }
        return bytes
    }

    /// Feeds `bytes` and drains the decoder; returns how it ended.
    static func run(_ bytes: [UInt8], limits: PickleLimits) -> String {
        var decoder = PickleDecoder(limits: limits)
        decoder.feed(bytes)
        var values = 0
        do {
            while try decoder.next() != nil {
                values += 1
                if values > bytes.count { return "runaway" }
            }
            return values > 0 ? "value" : "incomplete"
        } catch {
            return "error"
        }
    }

    @Test func hundredThousandBadPickles() {
        var rng = SeededRandom(seed: 2026)
        let limits = PickleLimits(maxMessageSize: 1 << 20, maxDepth: 50, maxValueCount: 100_000)
        var outcomes: [String: Int] = [:]
        for i in 0..<100_000 {
            let frame: [UInt8]
            if i % 3 == 0 {
                frame = Self.randomFrame(&rng)
            } else {
                frame = Self.mutate(Self.seeds.randomElement(using: &rng) ?? [], &rng)
            }
            outcomes[Self.run(frame, limits: limits), default: 0] += 1
        }
        #expect(outcomes["runaway"] == nil)
        #expect(outcomes.values.reduce(0, +) == 100_000)
        #expect((outcomes["error"] ?? 0) > 10_000, "\(outcomes)")
    }

    @Test func twentyThousandBadLiterals() throws {
        var rng = SeededRandom(seed: 12)
        var generator = CorpusGenerator(seed: 5)
        generator.largeBudget = 0
        var seeds: [[UInt8]] = []
        for _ in 0..<40 { seeds.append(Array(try PythonRepr.repr(generator.value(depth: 3)).utf8.prefix(3000))) }
        seeds.append(Array("__import__('os').system('id')".utf8))
        var errors = 0, values = 0
        for _ in 0..<20_000 {
            let line = Self.mutate(seeds.randomElement(using: &rng) ?? [], &rng)
            do {
                _ = try PythonLiteralParser.parse(utf8: line)
                values += 1
            } catch {
                errors += 1
            }
        }
        #expect(errors + values == 20_000)
        #expect(errors > 5_000)
    }

    @Test func codeIsNeverEvaluated() {
        for text in ["__import__('os').system('id')", "open('/etc/passwd')", "(lambda: 1)()", "os.system",
                     "[x for x in ()]", "1 + 1", "f'{1}'", "{1, 2}", "exec('1')", "datetime.datetime.now()",
                     "ValueError('x').with_traceback(None)", "getattr(1, 'real')", "1j", "..."] {
            #expect(throws: PythonLiteralError.self, "\(text)") { try PythonLiteralParser.parse(text) }
        }
    }
}
