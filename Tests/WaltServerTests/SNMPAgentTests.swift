import Testing
@testable import WaltServer

/// The SNMP client against a real net-snmp snmpd on a loopback address (one agent per
/// test, see `SNMPAgent`): gets, walks compared with net-snmp's own snmpwalk, sets through
/// a pass script, and the errors a switch can answer.
@Suite(.enabled(if: SNMPAgent.available, "needs snmpd and snmp (Scripts/install-deps.sh)"))
struct SNMPAgentTests {
    static let sysDescr = SNMPObjectID("1.3.6.1.2.1.1.1.0")!
    static let sysName = SNMPObjectID("1.3.6.1.2.1.1.5.0")!
    static let ifTable = SNMPObjectID("1.3.6.1.2.1.2.2.1")!
    /// ifTable's octet and packet counters (ifInOctets … ifOutErrors), which our own
    /// requests on the loopback interface keep moving.
    static let counters: ClosedRange<UInt32> = 10...20

    @Test(arguments: [SNMPVersion.v1, .v2c])
    func getsSystemObjects(version: SNMPVersion) throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let client = agent.client(version)
        let varBinds = try client.get([Self.sysName, Self.sysDescr])
        #expect(varBinds.map(\.oid) == [Self.sysName, Self.sysDescr])
        #expect(varBinds.map(\.value.text) == [SNMPAgent.sysName, SNMPAgent.sysDescr])
        #expect(try client.get(Self.sysName) == .octets(Array(SNMPAgent.sysName.utf8)))
    }

    /// Our GetBulk walk of IF-MIB's ifTable gives exactly the OIDs (and, for the columns that
    /// are not traffic counters, the values) of `snmpwalk -v2c -On`. Other tests on this
    /// machine add and remove interfaces, so a comparison is kept only when our walks just
    /// before and just after snmpwalk agree.
    @Test func walkMatchesNetSNMPWalk() throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let client = agent.client(.v2c)
        var compared = false
        for _ in 0..<5 where !compared {
            let before = try client.walk(Self.ifTable)
            let theirs = try agent.netSNMPWalk(Self.ifTable)
            let after = try client.walk(Self.ifTable)
            guard before.map(\.oid) == after.map(\.oid) else { continue }
            compared = true
            #expect(theirs.map { String($0.prefix { $0 != " " }) } == before.map { ".\($0.oid)" })
            for ((ours, later), line) in zip(zip(before, after), theirs) {
                let column = ours.oid.suffix(after: Self.ifTable)?.first ?? 0
                let text = line.split(separator: " = ", maxSplits: 1).last.map(String.init) ?? ""
                if Self.counters.contains(column) {  // they move: the types only
                    #expect(text.prefix { $0 != ":" } == Self.netSNMPText(ours.value).prefix { $0 != ":" }, "\(line)")
                } else if ours.value == later.value {
                    #expect(text == Self.netSNMPText(ours.value), "\(line) versus \(ours)")
                }
            }
        }
        #expect(compared, "interfaces kept changing during every attempt")
        // Every interface has its ifIndex, and the table spans several GetBulk rounds.
        let walk = try client.walk(Self.ifTable)
        #expect(walk.count > 25)
        #expect(walk.filter { $0.oid.suffix(after: Self.ifTable)?.first == 1 }.allSatisfy { $0.value.int ?? 0 > 0 })
    }

    /// GetNext one OID at a time (v1), GetBulk (v2c) and GetBulk one repetition at a time
    /// walk the same table.
    @Test func walkWithGetNextMatchesGetBulk() throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        var oneByOne = agent.client(.v2c)
        oneByOne.maxRepetitions = 1
        var compared = false
        for _ in 0..<5 where !compared {
            let bulk = try agent.client(.v2c).walk(Self.ifTable)
            let next = try agent.client(.v1).walk(Self.ifTable)
            let single = try oneByOne.walk(Self.ifTable)
            let after = try agent.client(.v2c).walk(Self.ifTable)
            guard bulk.map(\.oid) == after.map(\.oid) else { continue }
            compared = true
            #expect(next.map(\.oid) == bulk.map(\.oid))
            #expect(single.map(\.oid) == bulk.map(\.oid))
            let stable = { (walk: [SNMPVarBind]) in
                walk.filter { !Self.counters.contains($0.oid.suffix(after: Self.ifTable)?.first ?? 0) }.map(\.value)
            }
            if stable(bulk) == stable(after) { #expect(stable(next) == stable(bulk)) }
        }
        #expect(compared, "interfaces kept changing during every attempt")
    }

    @Test(arguments: [SNMPVersion.v1, .v2c])
    func walksSubtreesAndEnds(version: SNMPVersion) throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let client = agent.client(version)
        let writable = SNMPAgent.writable
        #expect(try client.walk(writable) == [
            SNMPVarBind(oid: writable.appending(1, 0), value: .octets(Array("initial".utf8))),
            SNMPVarBind(oid: writable.appending(2, 0), value: .integer(2)),
        ])
        #expect(try client.walk(writable.appending(2)).map(\.oid) == [writable.appending(2, 0)])
        // A leaf is not its own subtree; an empty subtree; past the agent's last object
        // (endOfMibView with v2c, noSuchName with v1).
        #expect(try client.walk(writable.appending(2, 0)) == [])
        #expect(try client.walk(SNMPObjectID("1.3.6.1.4.1.99998")!) == [])
        #expect(try client.walk(SNMPObjectID("2.25")!) == [])
    }

    @Test(arguments: [SNMPVersion.v1, .v2c])
    func wrongCommunityTimesOut(version: SNMPVersion) throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let client = agent.client(version, community: "not-the-community", timeout: 0.2, retries: 1)
        #expect(throws: SNMPError.timeout(host: agent.address)) { try client.get([Self.sysName]) }
        #expect(throws: SNMPError.timeout(host: agent.address)) { try client.walk(Self.ifTable) }
    }

    @Test func setThenGetThroughPassScript() throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let text = SNMPAgent.writable.appending(1, 0)
        let number = SNMPAgent.writable.appending(2, 0)
        try agent.client(.v2c, community: "private").set(text, .octets(Array("walt 42".utf8)))
        #expect(try agent.client(.v2c).get(text).text == "walt 42")
        // PoE-style: an INTEGER switched from false(2) to true(1), with v1 this time.
        try agent.client(.v1, community: "private").set(number, .integer(1))
        #expect(try agent.client(.v1).get(number) == .integer(1))
        #expect(try agent.client(.v2c).get([text, number]).map(\.value) == [.octets(Array("walt 42".utf8)), .integer(1)])
    }

    /// The errors a SET can meet, as net-snmp answers them in each version.
    @Test func refusedSets() throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let text = SNMPAgent.writable.appending(1, 0)
        let cases: [(SNMPVersion, String, SNMPObjectID, SNMPValue, SNMPError)] = [
            (.v2c, "public", text, .octets([0x78]), .errorStatus(code: 6, index: 1, name: "noAccess")),
            (.v1, "public", text, .octets([0x78]), .errorStatus(code: 2, index: 1, name: "noSuchName")),
            (.v2c, "private", text, .integer(5), .errorStatus(code: 7, index: 1, name: "wrongType")),
            (.v1, "private", text, .integer(5), .errorStatus(code: 3, index: 1, name: "badValue")),
            (.v2c, "private", Self.sysName, .octets([0x78]), .errorStatus(code: 17, index: 1, name: "notWritable")),
        ]
        for (version, community, oid, value, expected) in cases {
            #expect(throws: expected, "\(version) \(community) \(oid)") {
                try agent.client(version, community: community).set(oid, value)
            }
        }
        #expect(try agent.client(.v2c).get(text).text == "initial")
    }

    @Test func missingObjects() throws {
        let agent = try SNMPAgent()
        defer { agent.stop() }
        let noObject = SNMPObjectID("1.3.6.1.2.1.1.99.0")!
        let noInstance = SNMPObjectID("1.3.6.1.2.1.1.5.1")!
        // v2c: exceptions in place of values, the rest of the request answered.
        let v2c = try agent.client(.v2c).get([noObject, Self.sysName, noInstance])
        #expect(v2c.map(\.value) == [.noSuchObject, .octets(Array(SNMPAgent.sysName.utf8)), .noSuchInstance])
        // v1: the whole request fails on the first missing varbind.
        #expect(throws: SNMPError.errorStatus(code: 2, index: 1, name: "noSuchName")) {
            try agent.client(.v1).get([noObject])
        }
        #expect(throws: SNMPError.errorStatus(code: 2, index: 2, name: "noSuchName")) {
            try agent.client(.v1).get([Self.sysName, noInstance])
        }
    }

    /// A value as `snmpwalk -On -Oe -Ox -Ot` prints it.
    static func netSNMPText(_ value: SNMPValue) -> String {
        switch value {
        case .integer(let number): "INTEGER: \(number)"
        case .octets(let bytes): bytes.isEmpty ? "\"\"" : "Hex-STRING: \(SNMPValue.hex(bytes)) "
        case .gauge32(let number): "Gauge32: \(number)"
        case .counter32(let number): "Counter32: \(number)"
        case .timeTicks(let ticks): "\(ticks)"
        case .objectID(let oid): "OID: .\(oid)"
        default: "\(value)"
        }
    }
}
