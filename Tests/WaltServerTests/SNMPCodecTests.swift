import Testing
@testable import WaltServer

/// SNMP BER codec: requests byte for byte as net-snmp 5.9.3 sends them (captured with
/// `snmpget -d`, `snmpbulkget -d`, `snmpset -d`, `snmpgetnext -d`), responses with every
/// value type, BER corner cases, and object identifiers.
@Suite struct SNMPCodecTests {
    static let sysName = SNMPObjectID("1.3.6.1.2.1.1.5.0")!

    /// `snmpget -d -v2c -c public 1.3.6.1.2.1.1.5.0` (its request-id was 0x5FAA36AB).
    @Test func getRequestMatchesNetSNMP() throws {
        let message = SNMPMessage(version: .v2c, community: "public",
                                  pdu: SNMPPDU(kind: .getRequest, requestID: 0x5FAA_36AB,
                                               varBinds: [SNMPVarBind(oid: Self.sysName)]))
        let captured = snmpHex("""
            30 29 02 01 01 04 06 70 75 62 6C 69 63 A0 1C 02 04 5F AA 36 AB 02 01 00 02 01 00 30 0E
            30 0C 06 08 2B 06 01 02 01 01 05 00 05 00
            """)
        #expect(try message.encoded() == captured)
        #expect(try SNMPMessage(decoding: captured) == message)
    }

    /// By hand from X.690: a one-byte request-id makes every enclosing length 2 shorter.
    @Test func getRequestDerivedByHand() throws {
        let message = SNMPMessage(version: .v2c, community: "public",
                                  pdu: SNMPPDU(kind: .getRequest, requestID: 1, varBinds: [SNMPVarBind(oid: Self.sysName)]))
        // varbind 30 0C (OID 06 08 …, NULL 05 00); list 30 0E; PDU A0 19 = 9 + 16 bytes;
        // message 30 26 = 3 (version) + 8 (community) + 27 (PDU).
        #expect(try message.encoded() == snmpHex("""
            30 26 02 01 01 04 06 70 75 62 6C 69 63 A0 19 02 01 01 02 01 00 02 01 00 30 0E
            30 0C 06 08 2B 06 01 02 01 01 05 00 05 00
            """))
    }

    /// `snmpbulkget -d -v2c -Cr25 -c public 1.3.6.1.2.1.2.2.1`.
    @Test func getBulkMatchesNetSNMP() throws {
        let pdu = SNMPPDU.getBulk(requestID: 0x3EE5_5C9F, maxRepetitions: 25, oids: [SNMPObjectID("1.3.6.1.2.1.2.2.1")!])
        let captured = snmpHex("""
            30 29 02 01 01 04 06 70 75 62 6C 69 63 A5 1C 02 04 3E E5 5C 9F 02 01 00 02 01 19 30 0E
            30 0C 06 08 2B 06 01 02 01 02 02 01 05 00
            """)
        #expect(try SNMPMessage(version: .v2c, community: "public", pdu: pdu).encoded() == captured)
        let decoded = try SNMPMessage(decoding: captured).pdu
        #expect(decoded.kind == .getBulkRequest && decoded.nonRepeaters == 0 && decoded.maxRepetitions == 25)
    }

    /// `snmpset -d -v1 -c private 1.3.6.1.2.1.1.5.0 i 2` and `-v2c … i -129`.
    @Test func setRequestsMatchNetSNMP() throws {
        let v1 = SNMPMessage(version: .v1, community: "private",
                             pdu: SNMPPDU(kind: .setRequest, requestID: 0x2122_2CCA,
                                          varBinds: [SNMPVarBind(oid: Self.sysName, value: .integer(2))]))
        #expect(try v1.encoded() == snmpHex("""
            30 2B 02 01 00 04 07 70 72 69 76 61 74 65 A3 1D 02 04 21 22 2C CA 02 01 00 02 01 00 30 0F
            30 0D 06 08 2B 06 01 02 01 01 05 00 02 01 02
            """))
        let v2c = SNMPMessage(version: .v2c, community: "private",
                              pdu: SNMPPDU(kind: .setRequest, requestID: 0x3D0D_1A46,
                                           varBinds: [SNMPVarBind(oid: Self.sysName, value: .integer(-129))]))
        #expect(try v2c.encoded() == snmpHex("""
            30 2C 02 01 01 04 07 70 72 69 76 61 74 65 A3 1E 02 04 3D 0D 1A 46 02 01 00 02 01 00 30 10
            30 0E 06 08 2B 06 01 02 01 01 05 00 02 02 FF 7F
            """))
    }

    /// `snmpgetnext -d -v1 -c public 1.3.6.1.2.1.1`.
    @Test func getNextMatchesNetSNMP() throws {
        let message = SNMPMessage(version: .v1, community: "public",
                                  pdu: SNMPPDU(kind: .getNextRequest, requestID: 0x1879_90F2,
                                               varBinds: [SNMPVarBind(oid: SNMPObjectID("1.3.6.1.2.1.1")!)]))
        #expect(try message.encoded() == snmpHex("""
            30 27 02 01 00 04 06 70 75 62 6C 69 63 A1 1A 02 04 18 79 90 F2 02 01 00 02 01 00 30 0C
            30 0A 06 06 2B 06 01 02 01 01 05 00
            """))
    }

    /// snmpd's answer to the GetRequest above (`snmpget -d`, "Received 52 byte packet").
    @Test func decodesNetSNMPResponse() throws {
        let message = try SNMPMessage(decoding: snmpHex("""
            30 32 02 01 01 04 06 70 75 62 6C 69 63 A2 25 02 04 26 8E 05 BF 02 01 00 02 01 00 30 17
            30 15 06 08 2B 06 01 02 01 01 05 00 04 09 77 61 6C 74 2D 74 65 73 74
            """))
        #expect(message.version == .v2c)
        #expect(message.community == Array("public".utf8))
        #expect(message.pdu.kind == .response && message.pdu.requestID == 0x268E_05BF)
        #expect(message.pdu.errorStatus == 0 && message.pdu.errorIndex == 0)
        #expect(message.pdu.varBinds == [SNMPVarBind(oid: Self.sysName, value: .octets(Array("walt-test".utf8)))])
        #expect(message.pdu.varBinds[0].value.text == "walt-test")
    }

    /// A response holding every type, written tag by tag; it decodes to the expected
    /// values and encodes back to the same bytes.
    @Test func decodesEveryValueType() throws {
        let cases: [(String, SNMPValue)] = [
            ("02 01 FF", .integer(-1)),
            ("02 05 00 80 00 00 00", .integer(2_147_483_648)),
            ("02 08 80 00 00 00 00 00 00 00", .integer(Int64.min)),
            ("02 08 7F FF FF FF FF FF FF FF", .integer(Int64.max)),
            ("04 03 61 00 FF", .octets([0x61, 0x00, 0xFF])),
            ("04 00", .octets([])),
            ("05 00", .null),
            ("06 0A 2B 06 01 04 01 8F 65 81 80 00", .objectID(SNMPObjectID([1, 3, 6, 1, 4, 1, 2021, 16384]))),
            ("40 04 C0 A8 01 02", .ipAddress(192, 168, 1, 2)),
            ("41 05 00 FF FF FF FF", .counter32(UInt32.max)),
            ("42 01 00", .gauge32(0)),
            ("43 03 05 7E 40", .timeTicks(360_000)),
            ("44 02 9F 78", .opaque([0x9F, 0x78])),
            ("46 09 00 FF FF FF FF FF FF FF FF", .counter64(UInt64.max)),
            ("46 01 2A", .counter64(42)),
            ("80 00", .noSuchObject),
            ("81 00", .noSuchInstance),
            ("82 00", .endOfMibView),
        ]
        var list: [UInt8] = []
        for (index, (hex, _)) in cases.enumerated() {
            list += tlv(0x30, tlv(0x06, [0x2B, 0x06, 0x01, 0x04, 0x01, UInt8(index)]) + snmpHex(hex))
        }
        let pdu = tlv(0xA2, snmpHex("02 01 07 02 01 00 02 01 00") + tlv(0x30, list))
        let bytes = tlv(0x30, snmpHex("02 01 01 04 01 78") + pdu)
        let message = try SNMPMessage(decoding: bytes)
        #expect(message.pdu.varBinds.map(\.value) == cases.map(\.1))
        #expect(message.pdu.varBinds.map(\.oid) == cases.indices.map { SNMPObjectID([1, 3, 6, 1, 4, 1, UInt32($0)]) })
        #expect(try message.encoded() == bytes)
    }

    /// Agents that forget the leading zero of a Counter32 above 2^31, or pad integers with
    /// sign bytes, or use long-form lengths where short ones would do, still decode.
    @Test func toleratesNonMinimalEncodings() throws {
        let cases: [(String, SNMPValue)] = [
            ("41 04 FF FF FF FE", .counter32(4_294_967_294)),
            ("42 03 00 00 05", .gauge32(5)),
            ("02 0A 00 00 00 00 00 00 00 00 00 05", .integer(5)),
            ("02 0A FF FF FF FF FF FF FF FF FF FB", .integer(-5)),
            ("04 82 00 02 68 69", .octets(Array("hi".utf8))),
        ]
        for (hex, expected) in cases {
            let varBind = tlv(0x30, snmpHex("06 03 2B 06 01") + snmpHex(hex))
            let bytes = tlv(0x30, snmpHex("02 01 00 04 00") + tlv(0xA2, snmpHex("02 01 01 02 01 00 02 01 00") + tlv(0x30, varBind)))
            #expect(try SNMPMessage(decoding: bytes).pdu.varBinds.first?.value == expected, "\(hex)")
        }
    }

    @Test func encodesIntegersMinimally() {
        let cases: [(Int64, String)] = [
            (0, "00"), (127, "7F"), (128, "00 80"), (256, "01 00"), (-1, "FF"), (-128, "80"), (-129, "FF 7F"),
            (Int64.max, "7F FF FF FF FF FF FF FF"), (Int64.min, "80 00 00 00 00 00 00 00"),
        ]
        for (value, hex) in cases {
            #expect(BERWriter.integer(value) == snmpHex(hex), "\(value)")
        }
        #expect(BERWriter.unsigned(0) == [0])
        #expect(BERWriter.unsigned(255) == snmpHex("00 FF"))
        #expect(BERWriter.unsigned(UInt64.max) == snmpHex("00 FF FF FF FF FF FF FF FF"))
    }

    @Test func encodesLongLengths() throws {
        #expect(BERWriter.length(127) == [0x7F])
        #expect(BERWriter.length(128) == snmpHex("81 80"))
        #expect(BERWriter.length(200) == snmpHex("81 C8"))
        #expect(BERWriter.length(300) == snmpHex("82 01 2C"))
        #expect(BERWriter.length(70_000) == snmpHex("83 01 11 70"))
        // A 300-byte community and a 200-byte value: long forms at every level, round trip.
        let message = SNMPMessage(version: .v1, community: [UInt8](repeating: 0x63, count: 300),
                                  pdu: SNMPPDU(kind: .setRequest, requestID: -5, varBinds: [
                                      SNMPVarBind(oid: Self.sysName, value: .octets([UInt8](repeating: 7, count: 200))),
                                  ]))
        let bytes = try message.encoded()
        #expect(Array(bytes.prefix(4)) == snmpHex("30 82 02 1A"))
        #expect(Array(bytes[7..<11]) == snmpHex("04 82 01 2C"))
        #expect(try SNMPMessage(decoding: bytes) == message)
    }

    /// Sub-identifiers above 127 and 16383, up to 2^32-1, and X.690's own example {2 999 3}.
    @Test func encodesLargeSubIdentifiers() throws {
        let cases: [([UInt32], String)] = [
            ([1, 3, 127], "2B 7F"),
            ([1, 3, 128], "2B 81 00"),
            ([1, 3, 16383], "2B FF 7F"),
            ([1, 3, 16384], "2B 81 80 00"),
            ([1, 3, UInt32.max], "2B 8F FF FF FF 7F"),
            ([2, 999, 3], "88 37 03"),
            ([2, UInt32.max], "90 80 80 80 4F"),
            ([0, 0], "00"),
            ([1, 39], "4F"),
        ]
        for (arcs, hex) in cases {
            let oid = SNMPObjectID(arcs)
            #expect(try BERWriter.objectID(oid) == snmpHex(hex), "\(oid)")
            let value = try SNMPValue.objectID(oid).encoded()
            let varBind = tlv(0x30, snmpHex("06 03 2B 06 01") + value)
            let bytes = tlv(0x30, snmpHex("02 01 01 04 00") + tlv(0xA2, snmpHex("02 01 01 02 01 00 02 01 00") + tlv(0x30, varBind)))
            #expect(try SNMPMessage(decoding: bytes).pdu.varBinds.first?.value == .objectID(oid))
        }
    }

    @Test func refusesToEncodeOIDsBERCannotCarry() {
        for arcs: [UInt32] in [[], [1], [3, 1], [1, 40], [0, 40], Array(repeating: 1, count: 129)] {
            #expect(throws: SNMPError.self) { try BERWriter.objectID(SNMPObjectID(arcs)) }
        }
        let message = SNMPMessage(version: .v2c, community: "public",
                                  pdu: SNMPPDU(kind: .getRequest, requestID: 1, varBinds: [SNMPVarBind(oid: SNMPObjectID([1]))]))
        #expect(throws: SNMPError.self) { try message.encoded() }
    }

    @Test func parsesDottedObjectIDs() {
        #expect(SNMPObjectID("1.3.6.1.2.1.1.5.0")?.components == [1, 3, 6, 1, 2, 1, 1, 5, 0])
        #expect(SNMPObjectID(".1.3.6.1")?.components == [1, 3, 6, 1])
        #expect(SNMPObjectID("1.3.4294967295")?.components == [1, 3, UInt32.max])
        #expect(SNMPObjectID("2.999")?.components == [2, 999])
        for bad in ["", ".", "1", "1..3", "1.3.", "..1.3", "a.b", "1.3.-1", "1.3.+1", "1.3.4294967296", "3.1", "1.40",
                    " 1.3", "1.3 "] {
            #expect(SNMPObjectID(bad) == nil, "\(bad)")
        }
        #expect(SNMPObjectID("1.3.6.1.2.1.1.5.0")?.description == "1.3.6.1.2.1.1.5.0")
    }

    @Test func ordersAndSlicesObjectIDs() throws {
        let table = try #require(SNMPObjectID("1.3.6.1.2.1.2.2.1"))
        let cell = table.appending(2, 10)
        #expect(cell.description == "1.3.6.1.2.1.2.2.1.2.10")
        #expect(table.appending(contentsOf: [2, 10]) == cell)
        #expect(table.isPrefix(of: cell) && table.isPrefix(of: table) && !cell.isPrefix(of: table))
        #expect(cell.suffix(after: table) == [2, 10])
        #expect(table.suffix(after: table) == [])
        #expect(table.suffix(after: cell) == nil)
        // Agent order: arc by arc, numerically; a prefix first.
        #expect(table < cell)
        #expect(table.appending(2, 9) < table.appending(2, 10))
        #expect(table.appending(2, 10) < table.appending(3))
        #expect(SNMPObjectID([1, 3, 6, 1, 2]) < SNMPObjectID([1, 3, 6, 1, 10]))
        #expect([cell, table.appending(3, 1), table].sorted() == [table, cell, table.appending(3, 1)])
    }

    @Test func valueAccessors() {
        #expect(SNMPValue.integer(-3).int == -3)
        #expect(SNMPValue.gauge32(1_000_000_000).int == 1_000_000_000)
        #expect(SNMPValue.counter64(UInt64.max).int == nil)
        #expect(SNMPValue.octets([0x6C, 0x6F]).int == nil)
        #expect(SNMPValue.octets([0x6C, 0x6F]).text == "lo")
        #expect(SNMPValue.octets([0x6C, 0x6F]).bytes == [0x6C, 0x6F])
        #expect(SNMPValue.integer(1).bytes == nil && SNMPValue.integer(1).text == nil)
        #expect(SNMPValue.objectID(SNMPObjectID([1, 3])).objectID == SNMPObjectID([1, 3]))
        #expect(SNMPValue.noSuchInstance.isException && !SNMPValue.null.isException)
        #expect(SNMPValue.octets(Array("lo".utf8)).description == "STRING: \"lo\"")
        #expect(SNMPValue.octets([2, 0xFC]).description == "STRING: 02 FC")
        #expect(SNMPVersion(setting: 1) == .v1 && SNMPVersion(setting: 2) == .v2c && SNMPVersion(setting: 3) == nil)
        #expect(SNMPError(status: 17, index: 1) == .errorStatus(code: 17, index: 1, name: "notWritable"))
        #expect(SNMPError.statusName(2) == "noSuchName" && SNMPError.statusName(99) == "error 99")
    }
}

/// Bytes from hexadecimal pairs separated by white space.
func snmpHex(_ text: String) -> [UInt8] {
    text.split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }
}

/// One BER element, short or two-byte long length (test-side, independent of BERWriter).
func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
    precondition(content.count < 65_536)
    if content.count < 128 { return [tag, UInt8(content.count)] + content }
    if content.count < 256 { return [tag, 0x81, UInt8(content.count)] + content }
    return [tag, 0x82, UInt8(content.count >> 8), UInt8(content.count & 0xff)] + content
}
