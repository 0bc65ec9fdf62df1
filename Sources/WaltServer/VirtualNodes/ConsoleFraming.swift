import WaltCommon

/// The serial console as log lines of the node's `virtualconsole` stream (upstream's
/// `FileListener`): every chunk QEMU wrote, 4096 bytes at most, stored as Python's
/// `repr(bytes)`. The stream's mode is `chunk`: `walt node console` and `walt log show`
/// read each line back as a bytes literal and write it raw.
enum ConsoleFraming {
    static let streamName = "virtualconsole"
    static let maximumChunk = 4096

    static func lines(_ bytes: [UInt8]) -> [String] {
        stride(from: 0, to: bytes.count, by: maximumChunk).map {
            PythonRepr.repr(Array(bytes[$0..<min($0 + maximumChunk, bytes.count)]))
        }
    }
}
