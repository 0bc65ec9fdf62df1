/// Pickle opcodes (CPython's `pickletools` names), the ones WalT's decoder and encoder know.
///
/// Opcodes not listed here (protocol 0 text forms, persistent ids, extension registry,
/// protocol 5 buffers) are refused by the decoder as unknown.
enum PickleOpcode: UInt8 {
    case mark = 0x28            // (
    case stop = 0x2e            // .
    case pop = 0x30             // 0
    case popMark = 0x31         // 1
    case dup = 0x32             // 2
    case binFloat = 0x47        // G
    case binInt = 0x4a          // J
    case binInt1 = 0x4b         // K
    case binInt2 = 0x4d         // M
    case none = 0x4e            // N
    case reduce = 0x52          // R
    case binUnicode = 0x58      // X
    case emptyList = 0x5d       // ]
    case append = 0x61          // a
    case build = 0x62           // b
    case global = 0x63          // c
    case appends = 0x65         // e
    case binGet = 0x68          // h
    case longBinGet = 0x6a      // j
    case emptyDict = 0x7d       // }
    case setItem = 0x73         // s
    case tuple = 0x74           // t
    case setItems = 0x75        // u
    case binPut = 0x71          // q
    case longBinPut = 0x72      // r
    case emptyTuple = 0x29      // )
    case binBytes = 0x42        // B
    case shortBinBytes = 0x43   // C
    case proto = 0x80
    case newObj = 0x81
    case tuple1 = 0x85
    case tuple2 = 0x86
    case tuple3 = 0x87
    case newTrue = 0x88
    case newFalse = 0x89
    case long1 = 0x8a
    case long4 = 0x8b
    case shortBinUnicode = 0x8c
    case binUnicode8 = 0x8d
    case binBytes8 = 0x8e
    case emptySet = 0x8f
    case addItems = 0x90
    case frozenSet = 0x91
    case stackGlobal = 0x93
    case memoize = 0x94
    case frame = 0x95

    /// Size of the fixed argument, or of the length field for length-prefixed opcodes.
    var argumentLayout: ArgumentLayout {
        switch self {
        case .proto, .binInt1, .binGet, .binPut: return .fixed(1)
        case .binInt2: return .fixed(2)
        case .binInt, .longBinGet, .longBinPut: return .fixed(4)
        case .binFloat, .frame: return .fixed(8)
        case .long1, .shortBinUnicode, .shortBinBytes: return .counted(lengthBytes: 1)
        case .long4, .binUnicode, .binBytes: return .counted(lengthBytes: 4)
        case .binUnicode8, .binBytes8: return .counted(lengthBytes: 8)
        case .global: return .twoLines
        default: return .fixed(0)
        }
    }

    enum ArgumentLayout {
        case fixed(Int)
        /// A little-endian length of this many bytes, then that many bytes.
        case counted(lengthBytes: Int)
        /// Two newline-terminated lines (GLOBAL's module and name).
        case twoLines
    }
}
