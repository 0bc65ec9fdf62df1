@testable import WaltCommon

/// SplitMix64: a tiny seeded generator, so every run builds the same corpus.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds wire values that stress the codecs: nesting, odd unicode, big ints, special
/// floats, empty containers, large bytes (framing), datetimes, arrays, exceptions.
struct CorpusGenerator {
    var rng: SeededRandom
    var largeBudget = 4

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    static let specialFloats: [Double] = [
        0.0, -0.0, .infinity, -.infinity, .nan, 0.1, 0.2, 1.0 / 3.0, 1e16, 1e15, 9999999999999998.0, 1e-5, 1e-4,
        0.0001234, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 9007199254740992.0, 123456789012345678.0,
        1e22, 1e-7, 100.0, 1.5, -2.75, 3.14159, 1e100, 12345.678, 0.5e-10, 4.35, 2.675,
    ]

    static let exceptionNames = ["ValueError", "KeyError", "RuntimeError", "TypeError", "Exception", "IndexError",
                                 "StopIteration", "ZeroDivisionError", "NotImplementedError", "AssertionError"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func value(depth: Int) -> PyValue {
        let kind = int(0...(depth > 0 ? 15 : 10))
        switch kind {
        case 0: return .none
        case 1: return .bool(chance(50))
        case 2: return .int(smallInt())
        case 3: return .int(bigInt())
        case 4: return .float(float())
        case 5, 6: return .str(string())
        case 7: return .bytes(bytes())
        case 8: return .datetime(datetime())
        case 9: return .array(PyArray((0..<int(0...6)).map { _ in Int16.random(in: .min ... .max, using: &rng) }))
        case 10: return exception(depth: depth)
        case 11, 12: return .tuple(items(depth: depth))
        case 13, 14: return .list(items(depth: depth))
        default: return dict(depth: depth)
        }
    }

    mutating func items(depth: Int) -> [PyValue] {
        let count = chance(20) ? 0 : chance(85) ? int(1...4) : int(5...1100)
        return (0..<count).map { _ in value(depth: count > 10 ? 0 : depth - 1) }
    }

    mutating func dict(depth: Int) -> PyValue {
        var builder = PyDictBuilder()
        let count = chance(20) ? 0 : int(1...5)
        for _ in 0..<count {
            let key = hashableKey()
            if (try? builder.set(key, .none)) != nil, builder.count > 0 {
                _ = try? builder.set(key, value(depth: depth - 1))
            }
        }
        return .dict(builder.pairs)
    }

    mutating func hashableKey() -> PyValue {
        switch int(0...7) {
        case 0: return .none
        case 1: return .bool(chance(50))
        case 2: return .int(smallInt())
        case 3: let f = float(); return .float(f.isNaN ? 0.25 : f)
        case 4: return .bytes(Array(bytes().prefix(8)))
        case 5: return .tuple([.str(string()), .int(smallInt())])
        case 6: return .datetime(datetime())
        default: return .str(string())
        }
    }

    mutating func smallInt() -> PyInt {
        switch int(0...5) {
        case 0: return PyInt(int(0...255))
        case 1: return PyInt(int(-300...70000))
        case 2: return PyInt(int(Int(Int32.min)...Int(Int32.max)))
        case 3: return PyInt(Int.random(in: .min ... .max, using: &rng))
        case 4: return PyInt([Int.min, Int.max, Int(Int32.min), Int(Int32.max), 0, -1, 256, 65535, 65536][int(0...8)])
        default: return PyInt(int(-5...5))
        }
    }

    /// ±2^k ± small, for k in 63...200, or random limbs.
    mutating func bigInt() -> PyInt {
        let bits = int(63...200)
        var limbs = [UInt32](repeating: 0, count: bits / 32 + 1)
        if chance(50) {
            limbs[bits / 32] = 1 << UInt32(bits % 32)
            limbs[0] = limbs[0] &+ UInt32(int(0...3))
        } else {
            for i in limbs.indices { limbs[i] = UInt32.random(in: 0 ... .max, using: &rng) }
        }
        return PyInt(negative: chance(50), magnitude: limbs)
    }

    mutating func float() -> Double {
        switch int(0...3) {
        case 0: return Self.specialFloats[int(0...(Self.specialFloats.count - 1))]
        case 1: return Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))
        case 2: return Double(int(-1_000_000...1_000_000)) / [1, 10, 100, 1000, 1e7][int(0...4)]
        default: return Double(int(-99...99)) * [1e15, 1e16, 1e17, 1e-4, 1e-5, 1e300, 1e-300][int(0...6)]
        }
    }

    static let specialScalars: [UInt32] = [
        0x27, 0x22, 0x5c, 0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x80, 0x9f, 0xa0, 0xad, 0xe9, 0xff, 0x100, 0x301,
        0x2028, 0x2029, 0x200b, 0x200d, 0x3000, 0xfeff, 0xfffe, 0xffff, 0xe000, 0xf8ff, 0x1f600, 0x1f9d1, 0x1fae8,
        0x1fa75, 0x10ffff, 0xe0001, 0xe007f, 0x0378, 0x0600, 0x061c, 0x1d173, 0x110bd, 0x13430, 0x13439, 0x31350, 0x2b739,
        0x11f00, 0x1b132, 0x1e030, 0x20c0, 0x0ccf3, 0x1e4d0, 0x1343f, 0x30000, 0xfffd, 0x16fe4, 0x180e,
    ]

    mutating func scalar() -> Unicode.Scalar {
        let raw: UInt32
        switch int(0...9) {
        case 0...3: raw = UInt32(int(0x20...0x7e))
        case 4: raw = Self.specialScalars[int(0...(Self.specialScalars.count - 1))]
        case 5: raw = UInt32(int(0...0xff))
        case 6, 7: raw = UInt32(int(0x100...0xffff))
        default: raw = UInt32(int(0x10000...0x10ffff))
        }
        return Unicode.Scalar(raw) ?? "?"
    }

    mutating func string() -> String {
        var text = ""
        if largeBudget > 0, chance(1) {
            largeBudget -= 1
            text = String(repeating: "é\u{1F600}x", count: 70_000 / 3 + int(0...10))
        }
        for _ in 0..<(chance(10) ? 0 : int(1...16)) { text.unicodeScalars.append(scalar()) }
        return text
    }

    mutating func bytes() -> [UInt8] {
        if largeBudget > 0, chance(3) {
            largeBudget -= 1
            return (0..<int(65_530...140_000)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
        }
        let quoteHeavy = chance(20)
        return (0..<int(0...24)).map { _ in quoteHeavy ? [0x27, 0x22, 0x5c, 0x41][int(0...3)] : UInt8.random(in: 0 ... 255, using: &rng) }
    }

    mutating func datetime() -> PyDateTime {
        let fields = [int(1...9999), int(1...12), int(1...28), int(0...23), int(0...59), int(0...59), int(0...999_999)]
        let second = chance(30) ? 0 : fields[5]
        let micro = chance(40) ? 0 : fields[6]
        guard let stamp = try? PyDateTime(year: fields[0], month: fields[1], day: fields[2], hour: fields[3],
                                          minute: fields[4], second: second, microsecond: micro) else { return datetime() }
        return stamp
    }

    mutating func exception(depth: Int) -> PyValue {
        let name = Self.exceptionNames[int(0...(Self.exceptionNames.count - 1))]
        let args = (0..<int(0...3)).map { _ in value(depth: min(depth, 1) - 1) }
        return (try? PyException(name, args: args)).map { .exception($0) } ?? .none
    }
}
