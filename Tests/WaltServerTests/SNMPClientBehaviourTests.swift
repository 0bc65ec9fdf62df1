import Testing
@testable import WaltServer

/// What the client does with lost, stray, forged and looping answers, driven by a scripted
/// UDP peer (`ScriptedSNMPPeer`); a real snmpd never misbehaves like this.
@Suite struct SNMPClientBehaviourTests {
    static let sysName = SNMPObjectID("1.3.6.1.2.1.1.5.0")!
    static let root = SNMPObjectID("1.3.6.1.4.1.99999")!
    static let name = SNMPValue.octets(Array("sw".utf8))

    /// The first request is lost; the retry carries the same request-id and bytes; garbage,
    /// an answer to another request, a request and a v1 answer to our v2c are skipped.
    @Test func retriesAndSkipsStrayDatagrams() throws {
        let peer = try ScriptedSNMPPeer { index, request in
            guard index > 0 else { return [] }
            let wrongVersion = SNMPMessage(version: .v1, community: request.community,
                                           pdu: SNMPPDU(kind: .response, requestID: request.pdu.requestID,
                                                        varBinds: [SNMPVarBind(oid: Self.sysName, value: .integer(1))]))
            var echo = request
            echo.pdu.varBinds = [SNMPVarBind(oid: Self.sysName, value: .integer(2))]
            return [
                .datagram([0x30, 0x03, 0x02, 0x01]),
                ScriptedSNMPPeer.response(to: request, requestID: request.pdu.requestID &+ 1,
                                          varBinds: [SNMPVarBind(oid: Self.sysName, value: .integer(3))]),
                .datagram(try! wrongVersion.encoded()),
                .datagram(try! echo.encoded()),
                ScriptedSNMPPeer.response(to: request, varBinds: [SNMPVarBind(oid: Self.sysName, value: Self.name)]),
            ]
        }
        defer { peer.stop() }
        #expect(try peer.client(.v2c).get(Self.sysName) == Self.name)
        let requests = peer.requests
        #expect(requests.count == 2)
        #expect(requests.first == requests.last)
        #expect(requests.first?.pdu.kind == .getRequest && requests.first?.community == Array("public".utf8))
    }

    @Test func eachRequestGetsAFreshID() throws {
        let peer = try ScriptedSNMPPeer { _, request in
            [ScriptedSNMPPeer.response(to: request, varBinds: [SNMPVarBind(oid: Self.sysName, value: Self.name)])]
        }
        defer { peer.stop() }
        let client = peer.client(.v1)
        for _ in 0..<3 { _ = try client.get(Self.sysName) }
        let ids = peer.requests.map(\.pdu.requestID)
        #expect(ids.count == 3 && Set(ids).count == 3 && ids.allSatisfy { $0 > 0 })
        #expect(peer.requests.allSatisfy { $0.version == .v1 })
    }

    /// The socket is connected to the agent: an answer from another port never counts.
    @Test func answersFromAnotherPortAreIgnored() throws {
        let peer = try ScriptedSNMPPeer { _, request in
            guard case .datagram(let bytes) = ScriptedSNMPPeer.response(
                to: request, varBinds: [SNMPVarBind(oid: Self.sysName, value: Self.name)]) else { return [] }
            return [.fromOtherPort(bytes)]
        }
        defer { peer.stop() }
        #expect(throws: SNMPError.timeout(host: peer.address)) { try peer.client(.v2c, timeout: 0.2, retries: 1).get(Self.sysName) }
        #expect(peer.requests.count == 2)
    }

    /// Only undecodable answers: the decoding error, not a plain timeout.
    @Test func garbageOnlyIsReportedAsMalformed() throws {
        let peer = try ScriptedSNMPPeer { _, _ in [.datagram([0x30, 0x00])] }
        defer { peer.stop() }
        #expect {
            try peer.client(.v2c, timeout: 0.2, retries: 0).get(Self.sysName)
        } throws: { error in
            if case .malformed = error as? SNMPError { true } else { false }
        }
    }

    @Test func answerWithMissingVarBindsIsMalformed() throws {
        let peer = try ScriptedSNMPPeer { _, request in [ScriptedSNMPPeer.response(to: request, varBinds: [])] }
        defer { peer.stop() }
        #expect(throws: SNMPError.malformed("0 varbinds in answer to 2")) {
            try peer.client(.v2c).get([Self.sysName, Self.sysName])
        }
    }

    /// An agent that answers GetNext with an OID it already gave, or GetBulk with OIDs out
    /// of order: the walk stops with `nonIncreasing` instead of looping.
    @Test func agentLoopsAreCaught() throws {
        let peer = try ScriptedSNMPPeer { _, request in
            let varBinds = request.pdu.kind == .getBulkRequest
                ? [Self.root.appending(1), Self.root.appending(2), Self.root.appending(1, 5)]
                : [Self.root.appending(1)]
            return [ScriptedSNMPPeer.response(to: request, varBinds: varBinds.map { SNMPVarBind(oid: $0, value: .integer(0)) })]
        }
        defer { peer.stop() }
        #expect(throws: SNMPError.nonIncreasing(previous: Self.root.appending(1), next: Self.root.appending(1))) {
            try peer.client(.v1).walk(Self.root)
        }
        #expect(throws: SNMPError.nonIncreasing(previous: Self.root.appending(2), next: Self.root.appending(1, 5))) {
            try peer.client(.v2c).walk(Self.root)
        }
    }

    /// An agent with an endless subtree: the walk gives up at its bound.
    @Test(arguments: [SNMPVersion.v1, .v2c])
    func endlessSubtreeHitsTheWalkLimit(version: SNMPVersion) throws {
        let peer = try ScriptedSNMPPeer { _, request in
            let start = request.pdu.varBinds[0].oid
            let count = request.pdu.kind == .getBulkRequest ? request.pdu.maxRepetitions : 1
            let varBinds = (1...count).map { SNMPVarBind(oid: start.appending(UInt32($0)), value: .integer(0)) }
            return [ScriptedSNMPPeer.response(to: request, varBinds: varBinds)]
        }
        defer { peer.stop() }
        var client = peer.client(version)
        client.walkLimit = 60
        #expect(throws: SNMPError.tooManyVarBinds(limit: 60)) { try client.walk(Self.root) }
    }

    /// tooBig halves max-repetitions until the answer fits; at one repetition it is an error.
    @Test func tooBigHalvesMaxRepetitions() throws {
        let peer = try ScriptedSNMPPeer { _, request in
            guard request.pdu.maxRepetitions <= 4 else {
                return [ScriptedSNMPPeer.response(to: request, errorStatus: 1, varBinds: [])]
            }
            let last = request.pdu.varBinds[0].oid.suffix(after: Self.root)?.first ?? 0
            let varBinds = (1...UInt32(request.pdu.maxRepetitions)).map { step in
                last + step > 10 ? SNMPVarBind(oid: Self.sysName, value: .endOfMibView)
                    : SNMPVarBind(oid: Self.root.appending(last + step), value: .gauge32(last + step))
            }
            return [ScriptedSNMPPeer.response(to: request, varBinds: varBinds)]
        }
        defer { peer.stop() }
        let walk = try peer.client(.v2c).walk(Self.root)
        #expect(walk.map(\.value) == (1...10).map { .gauge32($0) })
        #expect(peer.requests.map(\.pdu.maxRepetitions) == [25, 12, 6, 3, 3, 3, 3])

        let alwaysTooBig = try ScriptedSNMPPeer { _, request in
            [ScriptedSNMPPeer.response(to: request, errorStatus: 1, varBinds: [])]
        }
        defer { alwaysTooBig.stop() }
        #expect(throws: SNMPError.errorStatus(code: 1, index: 0, name: "tooBig")) {
            try alwaysTooBig.client(.v2c).walk(Self.root)
        }
        #expect(alwaysTooBig.requests.map(\.pdu.maxRepetitions) == [25, 12, 6, 3, 1])
    }

    /// v1's noSuchName ends a walk; any other error-status is the walk's error.
    @Test func walkErrors() throws {
        let peer = try ScriptedSNMPPeer { index, request in
            let status = request.version == .v1 ? 2 : 5
            guard index % 2 == 1 else {
                let first = SNMPVarBind(oid: Self.root.appending(1), value: .integer(7))
                return [ScriptedSNMPPeer.response(to: request, varBinds: [first])]
            }
            return [ScriptedSNMPPeer.response(to: request, errorStatus: status, errorIndex: 1,
                                              varBinds: request.pdu.varBinds)]
        }
        defer { peer.stop() }
        #expect(try peer.client(.v1).walk(Self.root) == [SNMPVarBind(oid: Self.root.appending(1), value: .integer(7))])
        #expect(throws: SNMPError.errorStatus(code: 5, index: 1, name: "genErr")) { try peer.client(.v2c).walk(Self.root) }
    }

    @Test func badHostsAndOIDsFailBeforeSending() {
        let client = SNMPClient(host: "switch.example", version: .v2c, community: "public")
        #expect(throws: SNMPError.socket("switch.example is not an IPv4 address")) { try client.get(Self.sysName) }
        let local = SNMPClient(host: "127.0.0.1", port: 9, version: .v2c, community: "public", timeout: 0.1, retries: 0)
        #expect(throws: SNMPError.invalidRequest("OID 1 has fewer than two arcs")) { try local.get(SNMPObjectID([1])) }
    }
}
