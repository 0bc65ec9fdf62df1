/// Reads BER (X.690) elements from a byte array, within a window that nested elements
/// narrow. Every length is checked against what is left of the window, so no input can
/// make it read out of bounds; it never recurses (its callers read SNMP's fixed shape),
/// so nesting costs nothing.
struct BERReader {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next element's tag and a reader over its content; the reader moves past it.
    mutating func read() throws(SNMPError) -> (tag: UInt8, content: BERReader) {
        guard position < end else { throw .malformed("missing element at byte \(position)") }
        let tag = bytes[position]
        guard tag & 0x1f != 0x1f else { throw .malformed("multi-byte tag at byte \(position)") }
        position += 1
        let count = try readLength()
        guard count <= end - position else {
            throw .malformed("length \(count) at byte \(position) runs past the end")
        }
        let content = BERReader(bytes, range: position..<(position + count))
        position += count
        return (tag, content)
    }

    /// The next element's content, which must carry `tag`.
    mutating func read(expecting tag: UInt8, _ what: String) throws(SNMPError) -> BERReader {
        let element = try read()
        guard element.tag == tag else {
            throw .malformed("\(what): tag 0x\(String(element.tag, radix: 16)) instead of 0x\(String(tag, radix: 16))")
        }
        return element.content
    }

    /// Definite lengths only: short form, or 0x81–0x84 and that many bytes.
    private mutating func readLength() throws(SNMPError) -> Int {
        guard position < end else { throw .malformed("missing length at byte \(position)") }
        let first = bytes[position]
        position += 1
        if first < 0x80 { return Int(first) }
        let size = Int(first & 0x7f)
        guard size > 0 else { throw .malformed("indefinite length at byte \(position - 1)") }
        guard size <= 4 else { throw .malformed("\(size)-byte length at byte \(position - 1)") }
        guard size <= end - position else { throw .malformed("truncated length at byte \(position)") }
        var count = 0
        for _ in 0..<size {
            count = count << 8 | Int(bytes[position])
            position += 1
        }
        return count
    }

    /// The rest of the window.
    var remainingBytes: [UInt8] { Array(bytes[position..<end]) }

    var remainingCount: Int { end - position }

    /// A two's-complement INTEGER of 1 to 8 significant bytes (redundant sign bytes allowed).
    func signedInteger() throws(SNMPError) -> Int64 {
        guard position < end else { throw .malformed("empty INTEGER") }
        var start = position
        // Skip sign-extension bytes that do not change the value.
        while end - start > 8,
              (bytes[start] == 0x00 && bytes[start + 1] & 0x80 == 0)
                || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0) {
            start += 1
        }
        guard end - start <= 8 else { throw .malformed("INTEGER wider than 64 bits") }
        var value: Int64 = bytes[start] & 0x80 != 0 ? -1 : 0
        for index in start..<end { value = value << 8 | Int64(bytes[index]) }
        return value
    }

    /// A non-negative INTEGER that must fit in `bits` bits (leading zero bytes allowed).
    /// Bytes with the top bit set are taken as unsigned, as net-snmp does for agents that
    /// encode a Counter32 above 2^31 without its leading zero.
    func unsignedInteger(bits: Int) -> UInt64? {
        guard position < end else { return nil }
        var start = position
        while start < end - 1, bytes[start] == 0 { start += 1 }
        guard end - start <= bits / 8 else { return nil }
        var value: UInt64 = 0
        for index in start..<end { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// An OBJECT IDENTIFIER's content: base-128 sub-identifiers, the first one holding
    /// the first two arcs.
    func objectID() throws(SNMPError) -> SNMPObjectID {
        guard position < end else { throw .malformed("empty OBJECT IDENTIFIER") }
        var arcs: [UInt32] = []
        var value: UInt64 = 0
        var index = position
        while index < end {
            let byte = bytes[index]
            index += 1
            // The first sub-identifier may reach 2^32 - 1 + 80; later ones 2^32 - 1.
            guard value <= (UInt64(UInt32.max) + 80) >> 7 else { throw .malformed("OID arc above 2^32-1") }
            value = value << 7 | UInt64(byte & 0x7f)
            guard byte & 0x80 == 0 else { continue }
            if arcs.isEmpty {
                let first: UInt64 = value < 40 ? 0 : value < 80 ? 1 : 2
                let second = value - first * 40
                guard second <= UInt64(UInt32.max) else { throw .malformed("OID arc above 2^32-1") }
                arcs = [UInt32(first), UInt32(second)]
            } else {
                guard value <= UInt64(UInt32.max) else { throw .malformed("OID arc above 2^32-1") }
                arcs.append(UInt32(value))
            }
            guard arcs.count <= SNMPObjectID.maximumLength else {
                throw .malformed("OID longer than \(SNMPObjectID.maximumLength) arcs")
            }
            value = 0
        }
        guard bytes[end - 1] & 0x80 == 0 else { throw .malformed("OID ends inside a sub-identifier") }
        return SNMPObjectID(arcs)
    }
}
