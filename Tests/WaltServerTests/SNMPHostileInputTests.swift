import Testing
@testable import WaltServer

/// Whatever arrives on the manager's socket, decoding ends in a message or a thrown
/// `SNMPError`: never a crash, a hang or a runaway allocation.
@Suite struct SNMPHostileInputTests {
    /// A valid Response with several types, the seed of the mutations below.
    static let valid: [UInt8] = {
        let varBinds = [
            SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.1.5.0")!, value: .octets(Array("switch-1".utf8))),
            SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.2.2.1.5.1")!, value: .gauge32(1_000_000_000)),
            SNMPVarBind(oid: SNMPObjectID("1.0.8802.1.1.2.1.4.1.1.5.0.3.1")!, value: .octets([0, 0x1B, 0x21, 0x3A, 0x4B, 0x5C])),
            SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.31.1.1.1.6.1")!, value: .counter64(1 << 40)),
            SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.1.2.0")!, value: .objectID(SNMPObjectID("1.3.6.1.4.1.8072.3.2.10")!)),
            SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.1.99.0")!, value: .noSuchObject),
        ]
        let message = SNMPMessage(version: .v2c, community: "public",
                                  pdu: SNMPPDU(kind: .response, requestID: 123_456, varBinds: varBinds))
        return try! message.encoded()
    }()

    @Test func everyTruncationThrows() {
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: []) }
        for length in 0..<Self.valid.count {
            #expect(throws: SNMPError.self) { try SNMPMessage(decoding: Array(Self.valid.prefix(length))) }
        }
        #expect((try? SNMPMessage(decoding: Self.valid)) != nil)
    }

    @Test func trailingBytesThrow() {
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: Self.valid + [0]) }
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: Self.valid + Self.valid) }
    }

    @Test func badLengthsThrow() {
        let cases = [
            "30 05 02 01 01",  // past the end
            "30 84 FF FF FF FF 02 01 01",  // 4 GB claimed
            "30 85 00 00 00 00 05 02 01 01 04 00",  // five length bytes
            "30 80 02 01 01 00 00",  // indefinite
            "30 82 00",  // length bytes cut
            "30",  // no length
            "30 03 02 05 01",  // inner element past its parent
            "1F 81 00 00",  // multi-byte tag
        ]
        for hex in cases {
            #expect(throws: SNMPError.self, "\(hex)") { try SNMPMessage(decoding: snmpHex(hex)) }
        }
    }

    /// 10,000 nested SEQUENCEs (60 kB, under the size limit), 30 30 30 …, and a SEQUENCE
    /// where a value goes.
    @Test func deepNestingThrows() {
        var nested: [UInt8] = [0x05, 0x00]
        for _ in 0..<10_000 { nested = [0x30, 0x84] + withUnsafeBytes(of: UInt32(nested.count).bigEndian, Array.init) + nested }
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: nested) }
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: [UInt8](repeating: 0x30, count: 65_535)) }
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: [UInt8](repeating: 0x30, count: 200_000)) }
        // A SEQUENCE as a varbind's value.
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: response(value: "30 02 05 00")) }
    }

    @Test func badValuesThrow() {
        let values = [
            "02 00",  // empty INTEGER
            "02 09 01 00 00 00 00 00 00 00 00",  // INTEGER wider than 64 bits
            "41 05 01 00 00 00 00",  // Counter32 above 2^32-1
            "41 00",  // empty Counter32
            "46 09 01 00 00 00 00 00 00 00 00",  // Counter64 above 2^64-1
            "40 03 0A 00 00",  // IpAddress of 3 bytes
            "05 01 00",  // NULL with content
            "80 01 00",  // noSuchObject with content
            "06 00",  // empty OID
            "06 02 2B 86",  // OID ends inside a sub-identifier
            "06 07 2B 90 80 80 80 80 00",  // OID arc of 2^32
            "06 06 FF FF FF FF FF 7F",  // first sub-identifier too large
            "24 02 04 00",  // constructed OCTET STRING
            "47 01 00",  // unknown application type
            "A2 00",  // a PDU as a value
        ]
        for hex in values {
            #expect(throws: SNMPError.self, "\(hex)") { try SNMPMessage(decoding: response(value: hex)) }
        }
        // More than 128 arcs.
        let longOID = "06 82 00 82 2B" + String(repeating: " 01", count: 129)
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: response(value: longOID)) }
        // Arcs of 2^32 - 1 are fine.
        #expect((try? SNMPMessage(decoding: response(value: "06 06 2B 8F FF FF FF 7F"))) != nil)
    }

    @Test func otherMessagesThrow() {
        let wrapped = { (version: String, pdu: [UInt8]) in tlv(0x30, snmpHex(version + " 04 00") + pdu) }
        let pduBody = snmpHex("02 01 01 02 01 00 02 01 00") + tlv(0x30, [])
        // SNMPv3, version 2 (never assigned), a negative version.
        for version in ["02 01 03", "02 01 02", "02 01 FF"] {
            #expect(throws: SNMPError.self) { try SNMPMessage(decoding: wrapped(version, tlv(0xA2, pduBody))) }
        }
        // An SNMPv1 Trap and an unknown PDU type.
        let trap = tlv(0xA4, snmpHex("06 03 2B 06 01 40 04 7F 00 00 01 02 01 06 02 01 00 43 01 00") + tlv(0x30, []))
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: wrapped("02 01 00", trap)) }
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: wrapped("02 01 01", tlv(0xA9, pduBody))) }
        // A request-id beyond 32 bits.
        let bigID = snmpHex("02 05 01 00 00 00 00 02 01 00 02 01 00") + tlv(0x30, [])
        #expect(throws: SNMPError.self) { try SNMPMessage(decoding: wrapped("02 01 01", tlv(0xA2, bigID))) }
        // A well-formed empty Response is fine, and so are a v2 trap and a report.
        #expect((try? SNMPMessage(decoding: wrapped("02 01 01", tlv(0xA2, pduBody))))?.pdu.varBinds == [])
        #expect((try? SNMPMessage(decoding: wrapped("02 01 01", tlv(0xA7, pduBody))))?.pdu.kind == .trapV2)
    }

    /// Random datagrams and mutations of a valid one (bounded in count, seeded so a
    /// failure replays). Whatever decodes must survive an encode/decode round trip.
    @Test func fuzz() throws {
        var rng = SplitMix(seed: 0x5EED_5A4D)
        var decoded = 0
        for round in 0..<20_000 {
            let bytes: [UInt8]
            if round < 4_000 {
                bytes = (0..<Int.random(in: 0...96, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = mutate(Self.valid, &rng)
            }
            do throws(SNMPError) {
                let message = try SNMPMessage(decoding: bytes)
                decoded += 1
                #expect(try SNMPMessage(decoding: message.encoded()) == message)
            } catch {
                _ = error.description
            }
        }
        // Some mutations (a flipped byte inside a string) still decode: the fuzz reached
        // past the first checks.
        #expect(decoded > 100)
    }

    private func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x30, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xA2, 0xFF]
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            let byte = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            switch Int.random(in: 0...4, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] = byte
            case 1: bytes.insert(byte, at: position)
            case 2 where !bytes.isEmpty: bytes.remove(at: position)
            case 3: bytes = Array(bytes.prefix(position))
            default: if !bytes.isEmpty { bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &rng) }
            }
        }
        return bytes
    }

    /// A v2c Response with one varbind (1.3.6.1) whose value element is `value`.
    private func response(value: String) -> [UInt8] {
        let varBind = tlv(0x30, snmpHex("06 03 2B 06 01") + snmpHex(value))
        return tlv(0x30, snmpHex("02 01 01 04 00") + tlv(0xA2, snmpHex("02 01 01 02 01 00 02 01 00") + tlv(0x30, varBind)))
    }
}

/// A small seeded generator (SplitMix64), so fuzz runs replay.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
