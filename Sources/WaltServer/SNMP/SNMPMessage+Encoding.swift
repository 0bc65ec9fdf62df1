extension SNMPMessage {
    /// The message as BER bytes, ready for a UDP datagram.
    func encoded() throws(SNMPError) -> [UInt8] {
        var varBinds: [UInt8] = []
        for varBind in pdu.varBinds {
            let name = BERWriter.tlv(SNMPValue.Tag.objectID, try BERWriter.objectID(varBind.oid))
            varBinds += BERWriter.tlv(0x30, name + (try varBind.value.encoded()))
        }
        let pduContent = BERWriter.tlv(SNMPValue.Tag.integer, BERWriter.integer(Int64(pdu.requestID)))
            + BERWriter.tlv(SNMPValue.Tag.integer, BERWriter.integer(Int64(pdu.errorStatus)))
            + BERWriter.tlv(SNMPValue.Tag.integer, BERWriter.integer(Int64(pdu.errorIndex)))
            + BERWriter.tlv(0x30, varBinds)
        let content = BERWriter.tlv(SNMPValue.Tag.integer, BERWriter.integer(Int64(version.rawValue)))
            + BERWriter.tlv(SNMPValue.Tag.octets, community)
            + BERWriter.tlv(pdu.kind.rawValue, pduContent)
        return BERWriter.tlv(0x30, content)
    }
}

extension SNMPValue {
    /// The value's tag, length and content.
    func encoded() throws(SNMPError) -> [UInt8] {
        switch self {
        case .integer(let value): BERWriter.tlv(Tag.integer, BERWriter.integer(value))
        case .octets(let bytes): BERWriter.tlv(Tag.octets, bytes)
        case .null: BERWriter.tlv(Tag.null, [])
        case .objectID(let oid): BERWriter.tlv(Tag.objectID, try BERWriter.objectID(oid))
        case .ipAddress(let a, let b, let c, let d): BERWriter.tlv(Tag.ipAddress, [a, b, c, d])
        case .counter32(let value): BERWriter.tlv(Tag.counter32, BERWriter.unsigned(UInt64(value)))
        case .gauge32(let value): BERWriter.tlv(Tag.gauge32, BERWriter.unsigned(UInt64(value)))
        case .timeTicks(let value): BERWriter.tlv(Tag.timeTicks, BERWriter.unsigned(UInt64(value)))
        case .opaque(let bytes): BERWriter.tlv(Tag.opaque, bytes)
        case .counter64(let value): BERWriter.tlv(Tag.counter64, BERWriter.unsigned(value))
        case .noSuchObject: BERWriter.tlv(Tag.noSuchObject, [])
        case .noSuchInstance: BERWriter.tlv(Tag.noSuchInstance, [])
        case .endOfMibView: BERWriter.tlv(Tag.endOfMibView, [])
        }
    }
}
