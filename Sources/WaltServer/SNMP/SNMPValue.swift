/// The value of a varbind: the SMIv2 types (RFC 2578 §7.1) SNMP v1 and v2c carry, the
/// NULL of requests, and the three v2c exceptions (RFC 3416 §3) an agent answers in
/// place of a value.
enum SNMPValue: Equatable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case octets([UInt8])
    case null
    case objectID(SNMPObjectID)
    case ipAddress(UInt8, UInt8, UInt8, UInt8)
    case counter32(UInt32)
    case gauge32(UInt32)
    case timeTicks(UInt32)
    case opaque([UInt8])
    case counter64(UInt64)
    case noSuchObject
    case noSuchInstance
    case endOfMibView

    /// BER tags of the types (universal, application, then context-specific exceptions).
    enum Tag {
        static let integer: UInt8 = 0x02
        static let octets: UInt8 = 0x04
        static let null: UInt8 = 0x05
        static let objectID: UInt8 = 0x06
        static let ipAddress: UInt8 = 0x40
        static let counter32: UInt8 = 0x41
        static let gauge32: UInt8 = 0x42
        static let timeTicks: UInt8 = 0x43
        static let opaque: UInt8 = 0x44
        static let counter64: UInt8 = 0x46
        static let noSuchObject: UInt8 = 0x80
        static let noSuchInstance: UInt8 = 0x81
        static let endOfMibView: UInt8 = 0x82
    }

    /// The number, for every integer-like type (INTEGER, Counter32, Gauge32, TimeTicks, and
    /// a Counter64 below 2^63).
    var int: Int64? {
        switch self {
        case .integer(let value): value
        case .counter32(let value), .gauge32(let value), .timeTicks(let value): Int64(value)
        case .counter64(let value): value <= UInt64(Int64.max) ? Int64(value) : nil
        default: nil
        }
    }

    /// The bytes of an OCTET STRING (or Opaque).
    var bytes: [UInt8]? {
        switch self {
        case .octets(let bytes), .opaque(let bytes): bytes
        default: nil
        }
    }

    /// An OCTET STRING read as UTF-8 (invalid sequences become U+FFFD).
    var text: String? {
        if case .octets(let bytes) = self { String(decoding: bytes, as: UTF8.self) } else { nil }
    }

    var objectID: SNMPObjectID? {
        if case .objectID(let oid) = self { oid } else { nil }
    }

    /// True for noSuchObject, noSuchInstance and endOfMibView: the agent has no value here.
    var isException: Bool {
        self == .noSuchObject || self == .noSuchInstance || self == .endOfMibView
    }

    /// Roughly as net-snmp prints values (for logs and test messages).
    var description: String {
        switch self {
        case .integer(let value): "INTEGER: \(value)"
        case .octets(let bytes): "STRING: \(Self.printable(bytes))"
        case .null: "NULL"
        case .objectID(let oid): "OID: .\(oid)"
        case .ipAddress(let a, let b, let c, let d): "IpAddress: \(a).\(b).\(c).\(d)"
        case .counter32(let value): "Counter32: \(value)"
        case .gauge32(let value): "Gauge32: \(value)"
        case .timeTicks(let value): "Timeticks: (\(value))"
        case .opaque(let bytes): "Opaque: \(Self.hex(bytes))"
        case .counter64(let value): "Counter64: \(value)"
        case .noSuchObject: "No Such Object"
        case .noSuchInstance: "No Such Instance"
        case .endOfMibView: "End of MIB View"
        }
    }

    /// Quoted text when every byte is printable ASCII, else hexadecimal.
    private static func printable(_ bytes: [UInt8]) -> String {
        bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) ? "\"\(String(decoding: bytes, as: UTF8.self))\"" : hex(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return bytes.map { String(decoding: [digits[Int($0 >> 4)], digits[Int($0 & 15)]], as: UTF8.self) }
            .joined(separator: " ")
    }
}
