extension SNMPMessage {
    /// The largest datagram we decode (a UDP payload cannot be larger).
    static let maximumSize = 65_535

    /// Decodes one v1 or v2c message that fills `bytes` exactly. Any other input (another
    /// version, an SNMPv1 Trap, a truncated or padded message, a value of a type SNMP does
    /// not define) throws `SNMPError.malformed`; nothing is trusted, nothing recurses.
    init(decoding bytes: [UInt8]) throws(SNMPError) {
        guard bytes.count <= Self.maximumSize else { throw .malformed("\(bytes.count) bytes") }
        var outer = BERReader(bytes)
        var message = try outer.read(expecting: 0x30, "message")
        guard outer.isAtEnd else { throw .malformed("\(outer.remainingCount) bytes after the message") }

        let versionNumber = try message.read(expecting: SNMPValue.Tag.integer, "version").signedInteger()
        guard let version = SNMPVersion(rawValue: Int(versionNumber)) else {
            throw .malformed("unsupported version \(versionNumber)")
        }
        let community = try message.read(expecting: SNMPValue.Tag.octets, "community").remainingBytes
        let (tag, pduContent) = try message.read()
        guard let kind = SNMPPDU.Kind(rawValue: tag) else {
            throw .malformed(tag == 0xA4 ? "SNMPv1 Trap" : "unknown PDU type 0x\(String(tag, radix: 16))")
        }
        guard message.isAtEnd else { throw .malformed("bytes after the PDU") }
        self.init(version: version, community: community, pdu: try SNMPPDU(kind: kind, decoding: pduContent))
    }
}

extension SNMPPDU {
    fileprivate init(kind: Kind, decoding content: BERReader) throws(SNMPError) {
        var pdu = content
        let requestID = try pdu.read(expecting: SNMPValue.Tag.integer, "request-id").signedInteger()
        guard let id = Int32(exactly: requestID) else { throw .malformed("request-id \(requestID)") }
        let status = try pdu.read(expecting: SNMPValue.Tag.integer, "error-status").signedInteger()
        let index = try pdu.read(expecting: SNMPValue.Tag.integer, "error-index").signedInteger()
        var list = try pdu.read(expecting: 0x30, "varbind list")
        guard pdu.isAtEnd else { throw .malformed("bytes after the varbind list") }
        var varBinds: [SNMPVarBind] = []
        while !list.isAtEnd {
            var varBind = try list.read(expecting: 0x30, "varbind")
            let oid = try varBind.read(expecting: SNMPValue.Tag.objectID, "varbind name").objectID()
            let value = try SNMPValue(decoding: varBind.read())
            guard varBind.isAtEnd else { throw .malformed("bytes after the value of \(oid)") }
            varBinds.append(SNMPVarBind(oid: oid, value: value))
        }
        self.init(kind: kind, requestID: id, errorStatus: Int(status), errorIndex: Int(index), varBinds: varBinds)
    }
}

extension SNMPValue {
    fileprivate init(decoding element: (tag: UInt8, content: BERReader)) throws(SNMPError) {
        let content = element.content
        func unsigned32(_ name: String) throws(SNMPError) -> UInt32 {
            guard let value = content.unsignedInteger(bits: 32) else { throw .malformed("bad \(name)") }
            return UInt32(value)
        }
        func empty(_ value: SNMPValue) throws(SNMPError) -> SNMPValue {
            guard content.isAtEnd else { throw .malformed("\(value) with content") }
            return value
        }
        switch element.tag {
        case Tag.integer: self = .integer(try content.signedInteger())
        case Tag.octets: self = .octets(content.remainingBytes)
        case Tag.null: self = try empty(.null)
        case Tag.objectID: self = .objectID(try content.objectID())
        case Tag.ipAddress:
            let bytes = content.remainingBytes
            guard bytes.count == 4 else { throw .malformed("IpAddress of \(bytes.count) bytes") }
            self = .ipAddress(bytes[0], bytes[1], bytes[2], bytes[3])
        case Tag.counter32: self = .counter32(try unsigned32("Counter32"))
        case Tag.gauge32: self = .gauge32(try unsigned32("Gauge32"))
        case Tag.timeTicks: self = .timeTicks(try unsigned32("TimeTicks"))
        case Tag.opaque: self = .opaque(content.remainingBytes)
        case Tag.counter64:
            guard let value = content.unsignedInteger(bits: 64) else { throw .malformed("bad Counter64") }
            self = .counter64(value)
        case Tag.noSuchObject: self = try empty(.noSuchObject)
        case Tag.noSuchInstance: self = try empty(.noSuchInstance)
        case Tag.endOfMibView: self = try empty(.endOfMibView)
        default: throw .malformed("value of unknown type 0x\(String(element.tag, radix: 16))")
        }
    }
}
