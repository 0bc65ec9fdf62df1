/// Modular exponentiation for the Diffie-Hellman exchange of the registry-credentials
/// callback: 2048-bit modulus, 2048-bit exponents.
///
/// `PyInt` only carries big integers across the wire (no arithmetic), and the client must
/// not pull in a big-number package for one callback, so this is the one operation needed,
/// done with Montgomery multiplication (CIOS, 64-bit limbs): no division anywhere, a few
/// milliseconds per exponentiation. Numbers are little-endian `[UInt64]` limbs of the
/// modulus' length.
struct MontgomeryModulus {
    /// The modulus (odd), little-endian limbs, top limb non-zero.
    let limbs: [UInt64]
    /// -modulus⁻¹ mod 2⁶⁴.
    private let inverse: UInt64
    /// R² mod modulus, R = 2^(64·n): multiplying by it enters the Montgomery domain.
    private var rSquared: [UInt64] = []

    init(_ modulus: [UInt64]) {
        precondition(modulus.first.map { $0 & 1 == 1 } == true && modulus.last != 0, "an odd modulus without high zero limbs")
        limbs = modulus
        // Newton's iteration doubles the number of correct low bits: 1, 2, 4, ..., 64.
        var x: UInt64 = 1
        for _ in 0..<6 { x = x &* (2 &- modulus[0] &* x) }
        inverse = 0 &- x
        var r = [UInt64](repeating: 0, count: modulus.count)
        r[0] = 1
        for _ in 0..<(2 * 64 * modulus.count) { r = doubled(r) }
        rSquared = r
    }

    /// `base^exponent mod modulus`; `base` must be below the modulus.
    func power(_ base: [UInt64], _ exponent: [UInt64]) -> [UInt64] {
        let n = limbs.count
        precondition(base.count == n && Self.compare(base, limbs) < 0, "base not reduced")
        var one = [UInt64](repeating: 0, count: n)
        one[0] = 1
        let montgomeryBase = multiply(base, rSquared)
        var result = multiply(one, rSquared)
        for limb in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = multiply(result, result)
                if (limb >> UInt64(bit)) & 1 == 1 { result = multiply(result, montgomeryBase) }
            }
        }
        return multiply(result, one)
    }

    /// a·b·R⁻¹ mod modulus, for a and b below the modulus.
    func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        let n = limbs.count
        var t = [UInt64](repeating: 0, count: n + 2)
        for i in 0..<n {
            // t += a[i]·b
            var carry: UInt64 = 0
            for j in 0..<n {
                (carry, t[j]) = Self.multiplyAdd(a[i], b[j], t[j], carry)
            }
            let (top, overflow) = t[n].addingReportingOverflow(carry)
            t[n] = top
            t[n + 1] = overflow ? 1 : 0
            // t = (t + m·modulus) / 2⁶⁴, m chosen so that the low limb becomes zero.
            let m = t[0] &* inverse
            (carry, _) = Self.multiplyAdd(m, limbs[0], t[0], 0)
            for j in 1..<n {
                (carry, t[j - 1]) = Self.multiplyAdd(m, limbs[j], t[j], carry)
            }
            let (shifted, overflow2) = t[n].addingReportingOverflow(carry)
            t[n - 1] = shifted
            t[n] = t[n + 1] &+ (overflow2 ? 1 : 0)
        }
        var result = Array(t[0..<n])
        if t[n] != 0 || Self.compare(result, limbs) >= 0 { Self.subtract(&result, limbs) }
        return result
    }

    /// x·y + addend + carry as (high, low): never overflows 128 bits.
    private static func multiplyAdd(_ x: UInt64, _ y: UInt64, _ addend: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (high, low) = x.multipliedFullWidth(by: y)
        let (sum1, c1) = low.addingReportingOverflow(addend)
        let (sum2, c2) = sum1.addingReportingOverflow(carry)
        return (high &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0), sum2)
    }

    /// 2·r mod modulus, for r below the modulus.
    private func doubled(_ r: [UInt64]) -> [UInt64] {
        var result = r
        var carry: UInt64 = 0
        for index in result.indices {
            let next = result[index] >> 63
            result[index] = result[index] << 1 | carry
            carry = next
        }
        if carry != 0 || Self.compare(result, limbs) >= 0 { Self.subtract(&result, limbs) }
        return result
    }

    /// -1, 0 or 1 as a <, = or > b (same number of limbs).
    static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
        for index in stride(from: a.count - 1, through: 0, by: -1) where a[index] != b[index] {
            return a[index] < b[index] ? -1 : 1
        }
        return 0
    }

    /// a -= b, modulo 2^(64·n) (the borrow out of the top limb is dropped on purpose:
    /// callers subtract only when the true value is at least b).
    static func subtract(_ a: inout [UInt64], _ b: [UInt64]) {
        var borrow = false
        for index in a.indices {
            let (d1, b1) = a[index].subtractingReportingOverflow(b[index])
            let (d2, b2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
            a[index] = d2
            borrow = b1 || b2
        }
    }
}
