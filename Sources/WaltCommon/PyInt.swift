/// A Python `int`: arbitrary size, as it crosses the wire.
///
/// Nearly every int WalT exchanges fits in a machine word, so that case stays a plain `Int`;
/// the 2048-bit Diffie-Hellman keys of the registry-credentials callback need the big case.
/// The representation is canonical (a value that fits in `Int` is always `small`), so the
/// synthesized equality is numeric equality.
public struct PyInt: Hashable, Sendable {
    enum Storage: Hashable, Sendable {
        case small(Int)
        /// Sign and magnitude (little-endian 32-bit limbs, no high zero limb), only for
        /// values outside `Int`'s range.
        case big(negative: Bool, magnitude: [UInt32])
    }

    let storage: Storage

    public init(_ value: Int) {
        storage = .small(value)
    }

    /// Builds from sign and magnitude, normalizing to `small` when the value fits.
    init(negative: Bool, magnitude: [UInt32]) {
        var limbs = magnitude
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.count <= 2 {
            var m: UInt64 = 0
            for (i, limb) in limbs.enumerated() { m |= UInt64(limb) << (32 * UInt64(i)) }
            if !negative, m <= UInt64(Int.max) {
                storage = .small(Int(m))
                return
            }
            if negative, m <= UInt64(Int.max) + 1 {
                storage = .small(m == UInt64(Int.max) + 1 ? Int.min : -Int(m))
                return
            }
        }
        storage = .big(negative: negative, magnitude: limbs)
    }

    /// The value when it fits in `Int`.
    public var intValue: Int? {
        if case .small(let v) = storage { return v }
        return nil
    }

    public var isNegative: Bool {
        switch storage {
        case .small(let v): return v < 0
        case .big(let negative, _): return negative
        }
    }

    /// Sign and magnitude limbs (little-endian), whatever the storage.
    var signAndMagnitude: (negative: Bool, magnitude: [UInt32]) {
        switch storage {
        case .big(let negative, let magnitude):
            return (negative, magnitude)
        case .small(let v):
            let m = v.magnitude
            var limbs: [UInt32] = []
            if m != 0 { limbs.append(UInt32(truncatingIfNeeded: m)) }
            if m >> 32 != 0 { limbs.append(UInt32(truncatingIfNeeded: m >> 32)) }
            return (v < 0, limbs)
        }
    }

    /// Decimal for ints up to 256 bits, else "an integer of N bits": error messages must
    /// not pay the quadratic decimal conversion of a hostile 64 MiB integer.
    public var shortDescription: String {
        bitLength <= 256 ? description : "an integer of \(bitLength) bits"
    }

    /// Number of bits of the absolute value (Python's `int.bit_length()`).
    public var bitLength: Int {
        let magnitude = signAndMagnitude.magnitude
        guard let top = magnitude.last else { return 0 }
        return 32 * (magnitude.count - 1) + (32 - top.leadingZeroBitCount)
    }

    /// The value as a fixed-width integer, or an error saying it does not fit.
    public func exactly<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(PyValueError) -> T {
        if case .small(let v) = storage, let result = T(exactly: v) { return result }
        throw PyValueError.integerOutOfRange(value: shortDescription, type: "\(T.self)")
    }

    /// The integer exactly equal to `value`, if it is finite and integral.
    public init?(exactly value: Double) {
        guard value.isFinite, value.rounded(.towardZero) == value else { return nil }
        if let small = Int(exactly: value) {
            self.init(small)
            return
        }
        // |value| >= 2^63 here: an integral 53-bit significand shifted left.
        let significand = value.significandBitPattern | (1 << 52)
        let shift = Int(value.exponent) - 52
        var limbs = [UInt32(truncatingIfNeeded: significand), UInt32(truncatingIfNeeded: significand >> 32)]
        limbs = Self.shiftLeft(limbs, by: shift)
        self.init(negative: value < 0, magnitude: limbs)
    }

    static func shiftLeft(_ limbs: [UInt32], by shift: Int) -> [UInt32] {
        let whole = shift / 32, bits = shift % 32
        var result = [UInt32](repeating: 0, count: whole)
        var carry: UInt32 = 0
        for limb in limbs {
            if bits == 0 {
                result.append(limb)
            } else {
                result.append((limb << UInt32(bits)) | carry)
                carry = limb >> UInt32(32 - bits)
            }
        }
        if carry != 0 { result.append(carry) }
        return result
    }
}

extension PyInt: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}

extension PyInt: Comparable {
    public static func < (lhs: PyInt, rhs: PyInt) -> Bool {
        if case .small(let a) = lhs.storage, case .small(let b) = rhs.storage { return a < b }
        let (ln, lm) = lhs.signAndMagnitude
        let (rn, rm) = rhs.signAndMagnitude
        if ln != rn { return ln }
        let magnitudeLess = Self.magnitudeLess(lm, rm)
        let magnitudeGreater = Self.magnitudeLess(rm, lm)
        return ln ? magnitudeGreater : magnitudeLess
    }

    static func magnitudeLess(_ a: [UInt32], _ b: [UInt32]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i]
        }
        return false
    }
}
