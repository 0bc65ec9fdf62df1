// Byte and decimal conversions of PyInt: pickle's LONG1/LONG4 payloads are little-endian
// two's complement, repr() and the literal parser use decimal.

extension PyInt {
    /// Reads a little-endian two's-complement integer (pickle LONG1/LONG4); empty is 0.
    public init(twosComplementLittleEndian bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard let last = bytes.last else {
            self.init(0)
            return
        }
        let negative = last & 0x80 != 0
        var limbs = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)
        for (i, byte) in bytes.enumerated() {
            limbs[i / 4] |= UInt32(negative ? ~byte : byte) << UInt32(8 * (i % 4))
        }
        if negative {
            // The bytes were inverted; clear the inverted padding of the top limb, add one.
            let used = bytes.count % 4
            if used != 0, let top = limbs.indices.last {
                limbs[top] &= (UInt32(1) << UInt32(8 * used)) - 1
            }
            var carry = true
            for i in limbs.indices where carry {
                let (sum, overflow) = limbs[i].addingReportingOverflow(1)
                limbs[i] = sum
                carry = overflow
            }
            if carry { limbs.append(1) }
        }
        self.init(negative: negative, magnitude: limbs)
    }

    /// The shortest little-endian two's-complement encoding, as CPython's pickler writes it
    /// for LONG1/LONG4 (0 is the empty byte string).
    public var twosComplementLittleEndian: [UInt8] {
        let (negative, magnitude) = signAndMagnitude
        if magnitude.isEmpty { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(magnitude.count * 4 + 1)
        for limb in magnitude {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: limb >> UInt32(shift))) }
        }
        if negative {
            var carry = true
            for i in bytes.indices {
                let inverted = ~bytes[i]
                let (sum, overflow) = inverted.addingReportingOverflow(carry ? 1 : 0)
                bytes[i] = sum
                carry = carry && overflow
            }
            // Trim 0xff bytes while the sign stays right.
            while bytes.count > 1, bytes[bytes.count - 1] == 0xff, bytes[bytes.count - 2] & 0x80 != 0 {
                bytes.removeLast()
            }
            if bytes[bytes.count - 1] & 0x80 == 0 { bytes.append(0xff) }
        } else {
            while bytes.count > 1, bytes[bytes.count - 1] == 0, bytes[bytes.count - 2] & 0x80 == 0 {
                bytes.removeLast()
            }
            if bytes[bytes.count - 1] & 0x80 != 0 { bytes.append(0) }
        }
        return bytes
    }

    /// Parses optional sign and decimal digits (no underscores, no spaces). Like CPython
    /// 3.11, refuses more than `maxDigits` digits (its int/str conversion limit is 4300).
    public init?(decimal text: Substring, maxDigits: Int = 4300) {
        var digits = text.utf8[...]
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.count <= maxDigits,
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var limbs: [UInt32] = []
        var chunk: UInt32 = 0, chunkScale: UInt32 = 1
        for digit in digits {
            chunk = chunk * 10 + UInt32(digit - UInt8(ascii: "0"))
            chunkScale *= 10
            if chunkScale == 1_000_000_000 {
                Self.multiplyAdd(&limbs, chunkScale, chunk)
                chunk = 0
                chunkScale = 1
            }
        }
        if chunkScale > 1 { Self.multiplyAdd(&limbs, chunkScale, chunk) }
        self.init(negative: negative, magnitude: limbs)
    }

    static func multiplyAdd(_ limbs: inout [UInt32], _ factor: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }
}

extension PyInt: CustomStringConvertible {
    /// Decimal, as Python's `repr(int)` prints it.
    public var description: String {
        switch storage {
        case .small(let v):
            return String(v)
        case .big(let negative, let magnitude):
            var limbs = magnitude
            var chunks: [UInt32] = []
            while !limbs.isEmpty {
                var remainder: UInt64 = 0
                for i in stride(from: limbs.count - 1, through: 0, by: -1) {
                    let current = (remainder << 32) | UInt64(limbs[i])
                    limbs[i] = UInt32(current / 1_000_000_000)
                    remainder = current % 1_000_000_000
                }
                chunks.append(UInt32(remainder))
                while let last = limbs.last, last == 0 { limbs.removeLast() }
            }
            var text = negative ? "-" : ""
            for (i, chunk) in chunks.reversed().enumerated() {
                let part = String(chunk)
                if i > 0 { text += String(repeating: "0", count: 9 - part.utf8.count) }
                text += part
            }
            return text
        }
    }
}
