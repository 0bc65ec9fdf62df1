// SNMP v1/v2c manager for topology exploration and PoE control: the daemon reads switches'
// LLDP-MIB, IF-MIB, Q-BRIDGE-MIB and POWER-ETHERNET-MIB tables with `walk`/`get` and turns
// PoE on or off with `set` (upstream used the Python snimpy library). BER codec in
// SNMPMessage+Encoding/+Decoding (pure, hostile-input safe), UDP in SNMPSocket. Numeric
// OIDs only: no MIB files are read.

/// Talks to one SNMP agent over UDP. Every call blocks (run it on a blocking thread): a
/// request is sent, then re-sent with the same request-id after each `timeout` without an
/// answer, `retries` times; datagrams that are not the answer to it are skipped.
struct SNMPClient: Sendable {
    let host: String
    let port: UInt16
    let version: SNMPVersion
    let community: String
    /// Seconds to wait for each answer (upstream's const.SNMP_TIMEOUT).
    let timeout: Double
    /// Re-sends after the first try (snimpy's default, which upstream keeps).
    let retries: Int
    /// How many successors a v2c walk asks for in one GetBulkRequest.
    var maxRepetitions = 25
    /// The most varbinds one walk returns before giving up with `tooManyVarBinds`.
    var walkLimit = 100_000

    init(host: String, port: UInt16 = 161, version: SNMPVersion, community: String,
         timeout: Double = 3, retries: Int = 2) {
        self.host = host
        self.port = port
        self.version = version
        self.community = community
        self.timeout = timeout
        self.retries = retries
    }

    /// The values of `oids`, in order. With v2c a missing object comes back as a
    /// `noSuchObject`/`noSuchInstance` value; with v1 it fails the whole request with
    /// `errorStatus` noSuchName.
    func get(_ oids: [SNMPObjectID]) throws(SNMPError) -> [SNMPVarBind] {
        let socket = try SNMPSocket(host: host, port: port)
        let request = SNMPPDU(kind: .getRequest, requestID: Self.newRequestID(),
                              varBinds: oids.map { SNMPVarBind(oid: $0) })
        let response = try exchange(request, over: socket)
        try Self.check(response)
        guard response.varBinds.count == oids.count else {
            throw .malformed("\(response.varBinds.count) varbinds in answer to \(oids.count)")
        }
        return response.varBinds
    }

    /// The value of one OID.
    func get(_ oid: SNMPObjectID) throws(SNMPError) -> SNMPValue {
        try get([oid])[0].value
    }

    /// Sets one object (SetRequest); the agent's refusal throws `errorStatus`.
    func set(_ oid: SNMPObjectID, _ value: SNMPValue) throws(SNMPError) {
        let socket = try SNMPSocket(host: host, port: port)
        let request = SNMPPDU(kind: .setRequest, requestID: Self.newRequestID(),
                              varBinds: [SNMPVarBind(oid: oid, value: value)])
        try Self.check(try exchange(request, over: socket))
    }

    /// Sends `request` and returns the Response PDU with its request-id. A datagram that
    /// does not decode is skipped like any other, but if no answer comes at all the
    /// decoding error is what we report rather than a timeout.
    func exchange(_ request: SNMPPDU, over socket: SNMPSocket) throws(SNMPError) -> SNMPPDU {
        let datagram = try SNMPMessage(version: version, community: community, pdu: request).encoded()
        var undecodable: SNMPError?
        for _ in 0...max(0, retries) {
            try socket.send(datagram)
            let deadline = SNMPSocket.now() + timeout
            while let reply = try socket.receive(until: deadline) {
                do throws(SNMPError) {
                    let message = try SNMPMessage(decoding: reply)
                    if message.version == version, message.pdu.kind == .response,
                       message.pdu.requestID == request.requestID {
                        return message.pdu
                    }
                } catch {
                    undecodable = error
                }
            }
        }
        throw undecodable ?? .timeout(host: host)
    }

    /// Throws the agent's error-status, if any.
    static func check(_ response: SNMPPDU) throws(SNMPError) {
        guard response.errorStatus == 0 else {
            throw SNMPError(status: response.errorStatus, index: response.errorIndex)
        }
    }

    /// A fresh positive request-id for each request.
    static func newRequestID() -> Int32 {
        Int32.random(in: 1...Int32.max)
    }
}
