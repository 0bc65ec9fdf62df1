/// The community-based SNMP versions; WalT's `snmp.version` setting 1 is v1, 2 is v2c.
enum SNMPVersion: Int, Sendable {
    case v1 = 0
    case v2c = 1

    /// From WalT's `snmp.version` device setting (1 or 2).
    init?(setting: Int) {
        switch setting {
        case 1: self = .v1
        case 2: self = .v2c
        default: return nil
        }
    }
}

/// One name/value pair of a PDU.
struct SNMPVarBind: Equatable, Sendable, CustomStringConvertible {
    let oid: SNMPObjectID
    let value: SNMPValue

    init(oid: SNMPObjectID, value: SNMPValue = .null) {
        self.oid = oid
        self.value = value
    }

    var description: String { ".\(oid) = \(value)" }
}

/// A protocol data unit of RFC 3416 (v1: RFC 1157), apart from the SNMPv1 Trap, whose
/// shape differs and which a manager never receives in answer to a request.
struct SNMPPDU: Equatable, Sendable {
    enum Kind: UInt8, Sendable {
        case getRequest = 0xA0
        case getNextRequest = 0xA1
        case response = 0xA2
        case setRequest = 0xA3
        case getBulkRequest = 0xA5
        case informRequest = 0xA6
        case trapV2 = 0xA7
        case report = 0xA8
    }

    var kind: Kind
    var requestID: Int32
    /// For a GetBulkRequest, non-repeaters.
    var errorStatus: Int
    /// For a GetBulkRequest, max-repetitions.
    var errorIndex: Int
    var varBinds: [SNMPVarBind]

    init(kind: Kind, requestID: Int32, errorStatus: Int = 0, errorIndex: Int = 0, varBinds: [SNMPVarBind]) {
        self.kind = kind
        self.requestID = requestID
        self.errorStatus = errorStatus
        self.errorIndex = errorIndex
        self.varBinds = varBinds
    }

    /// A GetBulkRequest: the first `nonRepeaters` OIDs get one successor each, the others
    /// up to `maxRepetitions` successors.
    static func getBulk(requestID: Int32, nonRepeaters: Int = 0, maxRepetitions: Int,
                        oids: [SNMPObjectID]) -> SNMPPDU {
        SNMPPDU(kind: .getBulkRequest, requestID: requestID, errorStatus: nonRepeaters,
                errorIndex: maxRepetitions, varBinds: oids.map { SNMPVarBind(oid: $0) })
    }

    var nonRepeaters: Int { errorStatus }
    var maxRepetitions: Int { errorIndex }
}

/// A community-based SNMP message: version, community and one PDU. Encoding and decoding
/// live in `SNMPMessage+Encoding.swift` and `SNMPMessage+Decoding.swift`; neither touches
/// a socket.
struct SNMPMessage: Equatable, Sendable {
    var version: SNMPVersion
    var community: [UInt8]
    var pdu: SNMPPDU

    init(version: SNMPVersion, community: [UInt8], pdu: SNMPPDU) {
        self.version = version
        self.community = community
        self.pdu = pdu
    }

    init(version: SNMPVersion, community: String, pdu: SNMPPDU) {
        self.init(version: version, community: Array(community.utf8), pdu: pdu)
    }
}
