/// A Python `array.array('h', ...)`: the client sends the terminal size (`struct winsize`,
/// four int16) as one, and the upstream server hands its raw bytes to `ioctl(TIOCSWINSZ)`.
///
/// Only typecode `'h'` is modelled; decoders refuse the others.
public struct PyArray: Hashable, Sendable {
    /// The only typecode we model: signed 16-bit.
    public static let typecode: Character = "h"
    public var values: [Int16]

    public init(_ values: [Int16]) {
        self.values = values
    }

    /// The machine-format code `array._array_reconstructor` expects for little-endian int16.
    static let signedInt16LittleEndian = 4
    static let signedInt16BigEndian = 5

    /// The values as little-endian bytes (what CPython on x86/ARM pickles).
    public var littleEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for v in values {
            let u = UInt16(bitPattern: v)
            bytes.append(UInt8(u & 0xff))
            bytes.append(UInt8(u >> 8))
        }
        return bytes
    }

    /// Reads int16 values from raw bytes in the given machine format (4 = LE, 5 = BE).
    init(bytes: [UInt8], machineFormat: Int) throws(PyValueError) {
        guard machineFormat == Self.signedInt16LittleEndian || machineFormat == Self.signedInt16BigEndian else {
            throw .invalidArray("machine format \(machineFormat) is not a signed 16-bit format")
        }
        guard bytes.count % 2 == 0 else { throw .invalidArray("byte length \(bytes.count) is not a multiple of 2") }
        var values: [Int16] = []
        values.reserveCapacity(bytes.count / 2)
        var i = 0
        while i < bytes.count {
            let (lo, hi) = machineFormat == Self.signedInt16LittleEndian ? (bytes[i], bytes[i + 1]) : (bytes[i + 1], bytes[i])
            values.append(Int16(bitPattern: UInt16(hi) << 8 | UInt16(lo)))
            i += 2
        }
        self.values = values
    }
}
