/// The few BER (X.690) encodings SNMP uses, always in their shortest form: definite
/// lengths, minimal two's-complement integers, base-128 OID sub-identifiers.
enum BERWriter {
    /// Tag, length and content.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// Short form below 128, else 0x81–0x84 followed by the length's big-endian bytes.
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xff), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// The fewest big-endian two's-complement bytes that keep the value and its sign.
    static func integer(_ value: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8  // arithmetic shift: ends at 0 or -1
        } while !(rest == 0 && bytes[0] & 0x80 == 0) && !(rest == -1 && bytes[0] & 0x80 != 0)
        return bytes
    }

    /// An unsigned value as a non-negative INTEGER (a leading zero byte when the top bit
    /// is set, as Counter32 4294967295 is 00 FF FF FF FF).
    static func unsigned(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: rest), at: 0)
            rest >>= 8
        } while rest > 0
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return bytes
    }

    /// The sub-identifiers of an OID, the first two arcs merged into 40 × first + second.
    static func objectID(_ oid: SNMPObjectID) throws(SNMPError) -> [UInt8] {
        if let problem = oid.encodingProblem { throw .invalidRequest(problem) }
        let arcs = oid.components
        var bytes = base128(UInt64(arcs[0]) * 40 + UInt64(arcs[1]))
        for arc in arcs.dropFirst(2) { bytes += base128(UInt64(arc)) }
        return bytes
    }

    /// Seven bits a byte, most significant first, the high bit set on all but the last.
    private static func base128(_ value: UInt64) -> [UInt8] {
        var bytes = [UInt8(value & 0x7f)]
        var rest = value >> 7
        while rest > 0 {
            bytes.insert(0x80 | UInt8(rest & 0x7f), at: 0)
            rest >>= 7
        }
        return bytes
    }
}
