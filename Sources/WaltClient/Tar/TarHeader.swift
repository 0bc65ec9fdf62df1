/// One 512-byte header block of a tar archive: POSIX ustar fields, read from ustar, pax
/// and GNU archives, written in the ustar layout Python's `tarfile` uses (pax records
/// carry what does not fit).
struct TarHeader: Equatable {
    static let blockSize = 512

    enum Kind: Equatable {
        case file
        case hardLink
        case symbolicLink
        case characterDevice
        case blockDevice
        case directory
        case fifo
        /// Pax records for the next member (`x`).
        case paxExtended
        /// Pax records for all members (`g`).
        case paxGlobal
        /// GNU long name / long link name of the next member (`L`, `K`).
        case gnuLongName
        case gnuLongLink
        /// Anything else; Python's tarfile reads unknown kinds as regular files.
        case other(UInt8)

        init(flag: UInt8) {
            switch flag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .file
            case UInt8(ascii: "1"): self = .hardLink
            case UInt8(ascii: "2"): self = .symbolicLink
            case UInt8(ascii: "3"): self = .characterDevice
            case UInt8(ascii: "4"): self = .blockDevice
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "6"): self = .fifo
            case UInt8(ascii: "x"): self = .paxExtended
            case UInt8(ascii: "g"): self = .paxGlobal
            case UInt8(ascii: "L"): self = .gnuLongName
            case UInt8(ascii: "K"): self = .gnuLongLink
            default: self = .other(flag)
            }
        }

        var flag: UInt8 {
            switch self {
            case .file: return UInt8(ascii: "0")
            case .hardLink: return UInt8(ascii: "1")
            case .symbolicLink: return UInt8(ascii: "2")
            case .characterDevice: return UInt8(ascii: "3")
            case .blockDevice: return UInt8(ascii: "4")
            case .directory: return UInt8(ascii: "5")
            case .fifo: return UInt8(ascii: "6")
            case .paxExtended: return UInt8(ascii: "x")
            case .paxGlobal: return UInt8(ascii: "g")
            case .gnuLongName: return UInt8(ascii: "L")
            case .gnuLongLink: return UInt8(ascii: "K")
            case .other(let flag): return flag
            }
        }
    }

    var name = ""
    var mode = 0
    var uid = 0
    var gid = 0
    var size = 0
    var mtime = 0
    var kind = Kind.file
    var linkName = ""
    var userName = ""
    var groupName = ""
    var deviceMajor = 0
    var deviceMinor = 0

    /// The ustar block. Text longer than its field is cut, numbers too large are 0: the
    /// writer sends those values in a pax header first.
    func encode() -> [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        Self.put(name, into: &block, at: 0, length: 100)
        Self.put(octal: mode, into: &block, at: 100, length: 8)
        Self.put(octal: uid, into: &block, at: 108, length: 8)
        Self.put(octal: gid, into: &block, at: 116, length: 8)
        Self.put(octal: size, into: &block, at: 124, length: 12)
        Self.put(octal: mtime, into: &block, at: 136, length: 12)
        block[156] = kind.flag
        Self.put(linkName, into: &block, at: 157, length: 100)
        block.replaceSubrange(257..<265, with: Array("ustar\u{0}00".utf8))
        Self.put(userName, into: &block, at: 265, length: 32)
        Self.put(groupName, into: &block, at: 297, length: 32)
        Self.put(octal: deviceMajor, into: &block, at: 329, length: 8)
        Self.put(octal: deviceMinor, into: &block, at: 337, length: 8)
        // Python's layout: six octal digits, NUL, and the space the field held while summing.
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = block.reduce(0) { $0 + Int($1) }
        block.replaceSubrange(148..<155, with: Self.octalDigits(sum, count: 6) + [0])
        return block
    }

    /// True when `value` fits the octal field of `length` bytes (digits plus a NUL).
    static func fitsOctal(_ value: Int, length: Int) -> Bool {
        value >= 0 && value < 1 << (3 * (length - 1))
    }

    /// Reads a header block; nil for an all-zero block (the end of the archive).
    static func decode(_ block: ArraySlice<UInt8>) throws(TarError) -> TarHeader? {
        let block = Array(block)
        guard block.count == blockSize else { throw TarError("truncated header") }
        if block.allSatisfy({ $0 == 0 }) { return nil }
        let stored = number(block[148..<156])
        var unsigned = 0, signed = 0
        for (index, byte) in block.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        guard let stored, stored == unsigned || stored == signed else { throw TarError("bad checksum") }
        var header = TarHeader()
        header.name = text(block[0..<100])
        header.mode = number(block[100..<108]) ?? 0
        header.uid = number(block[108..<116]) ?? 0
        header.gid = number(block[116..<124]) ?? 0
        header.size = number(block[124..<136]) ?? 0
        header.mtime = number(block[136..<148]) ?? 0
        header.kind = Kind(flag: block[156])
        header.linkName = text(block[157..<257])
        header.userName = text(block[265..<297])
        header.groupName = text(block[297..<329])
        header.deviceMajor = number(block[329..<337]) ?? 0
        header.deviceMinor = number(block[337..<345]) ?? 0
        // POSIX ustar keeps a name prefix; GNU's "ustar  " magic uses that room for times.
        if block[257..<263].elementsEqual("ustar\u{0}".utf8) {
            let prefix = text(block[345..<500])
            if !prefix.isEmpty { header.name = prefix + "/" + header.name }
        }
        return header
    }

    /// A NUL-terminated field as text.
    static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (spaces and NULs around it), or GNU's base-256 form (high bit set).
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first & 0x40 == 0 else { return nil }   // negative: not for sizes or times we accept
            var value = Int(first & 0x3f)
            for byte in field.dropFirst() {
                guard value < Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var digits = field.drop { $0 == 0x20 || $0 == 0 }
        while let last = digits.last, last == 0x20 || last == 0 { digits = digits.dropLast() }
        var value = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte), value < Int.max >> 3 else { return nil }
            value = value << 3 | Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func put(_ text: String, into block: inout [UInt8], at offset: Int, length: Int) {
        let bytes = Array(text.utf8.prefix(length))
        block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
    }

    private static func put(octal value: Int, into block: inout [UInt8], at offset: Int, length: Int) {
        let digits = octalDigits(fitsOctal(value, length: length) ? value : 0, count: length - 1)
        block.replaceSubrange(offset..<(offset + length), with: digits + [0])
    }

    private static func octalDigits(_ value: Int, count: Int) -> [UInt8] {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: count)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) where rest > 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest & 7)
            rest >>= 3
        }
        return digits
    }
}
