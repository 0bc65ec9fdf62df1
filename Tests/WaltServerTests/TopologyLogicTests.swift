import Testing
@testable import WaltServer

/// The pure parts of topology: the link merge and cleanup rules, the tree drawing, the PoE
/// port mapping and the LLDP-MIB table reading (fixtures from a real lldpd under snmpd).
struct TopologyLogicTests {
    let server = "00:00:00:00:00:01", sw = "00:00:00:00:00:02", sw2 = "00:00:00:00:00:03"
    let nodeA = "00:00:00:00:00:0a", nodeB = "00:00:00:00:00:0b"

    @Test func registerKeepsEachSidesPort() {
        var topology = LinkTopology()
        topology.registerNeighbour(sw, port: 6, neighbour: server, at: 100)
        topology.registerNeighbour(server, port: 3, neighbour: sw, at: 101)
        #expect(topology.links[MACPair(server, sw)] == TopologyLink(port1: 3, port2: 6, confirmed: true, lastSeen: 101))
        #expect(topology.locate(server)?.neighbour == sw && topology.locate(server)?.port == 6)
        #expect(topology.neighbours(of: sw) == [server])
    }

    @Test func mergeTrustsTheScanAndKeepsOldLinksUnconfirmed() {
        var saved = LinkTopology()
        saved.registerNeighbour(sw, port: 2, neighbour: nodeA, at: 10)
        saved.registerNeighbour(sw, port: 4, neighbour: nodeB, at: 10)
        saved.unconfirm([sw])
        var scan = LinkTopology()
        scan.registerNeighbour(sw, port: 3, neighbour: nodeA, at: 20)   // a moved to port 3
        scan.merge(saved)
        #expect(scan.links[MACPair(sw, nodeA)] == TopologyLink(port1: 3, port2: nil, confirmed: true, lastSeen: 20))
        #expect(scan.links[MACPair(sw, nodeB)]?.confirmed == false)
    }

    @Test func onePlacePerPortAndOneNeighbourPerNode() {
        var saved = LinkTopology()
        saved.registerNeighbour(sw, port: 2, neighbour: nodeA, at: 10)
        saved.unconfirm([sw])
        var scan = LinkTopology()
        scan.registerNeighbour(sw, port: 2, neighbour: nodeB, at: 20)   // b now on a's old port
        scan.registerNeighbour(sw2, port: 5, neighbour: nodeA, at: 20)  // a on another switch
        scan.merge(saved)
        #expect(scan.links[MACPair(sw, nodeA)] == nil)
        var twice = LinkTopology()
        twice.registerNeighbour(sw, port: 2, neighbour: nodeA, at: 10)
        twice.registerNeighbour(sw2, port: 2, neighbour: nodeA, at: 30)
        twice.registerNeighbour(nodeA, port: nil, neighbour: nodeB, at: 40)
        twice.cleanup(nodes: [nodeA, nodeB])
        #expect(Set(twice.links.keys) == [MACPair(sw2, nodeA)])
    }

    @Test func loopsLoseTheirOldestLink() {
        var topology = LinkTopology()
        topology.registerNeighbour(server, port: 1, neighbour: sw, at: 30)
        topology.registerNeighbour(sw, port: 9, neighbour: sw2, at: 20)
        topology.registerNeighbour(sw2, port: 9, neighbour: server, at: 10)
        topology.cleanup(nodes: [])
        #expect(Set(topology.links.keys) == [MACPair(server, sw), MACPair(sw, sw2)])
        // An unconfirmed link closing a loop goes too; one reaching a new device stays.
        topology.links[MACPair(sw2, server)] = TopologyLink(port1: nil, port2: 9, confirmed: false, lastSeen: 50)
        topology.links[MACPair(sw2, nodeA)] = TopologyLink(port1: nil, port2: 4, confirmed: false, lastSeen: 5)
        topology.cleanup(nodes: [nodeA])
        #expect(Set(topology.links.keys) == [MACPair(server, sw), MACPair(sw, sw2), MACPair(sw2, nodeA)])
    }

    @Test func bridgeTablesOfOneSwitch() {
        let nodeC = "00:00:00:00:00:0c"
        var bridge = BridgeTopology()
        bridge.registerSecondaryMACs(of: sw, ["00:00:00:00:00:f2", sw])
        for (port, macs) in [(2, [nodeA]), (5, [server, "00:00:00:00:00:99"]), (3, [nodeB, nodeC])] {
            for mac in macs { bridge.registerNeighbour(sw, port: port, neighbour: mac) }
        }
        // Another switch sees one of sw's other addresses (its bridge's) on its port 9.
        bridge.registerNeighbour(sw2, port: 9, neighbour: "00:00:00:00:00:f2")
        let types = [server: "server", sw: "switch", sw2: "switch", nodeA: "node", nodeB: "node", nodeC: "node"]
        let links = bridge.deduceLinks(types: types, at: 7)
        // Port 3 leads to two devices (a hub): no link; the unknown address is left out.
        #expect(links.links == [MACPair(sw, nodeA): TopologyLink(port1: 2, port2: nil, confirmed: true, lastSeen: 7),
                                MACPair(server, sw): TopologyLink(port1: nil, port2: 5, confirmed: true, lastSeen: 7),
                                MACPair(sw, sw2): TopologyLink(port1: nil, port2: 9, confirmed: true, lastSeen: 7)])
    }

    @Test func bridgeTablesOfTwoSwitches() {
        // The server on main switch m's port 1; switch s on m's port 2, by its port 8; nodes
        // a and b on s's ports 3 and 4. Each table lists everything behind each port.
        let m = sw, s = sw2
        var bridge = BridgeTopology()
        let tables: [(String, Int, [String])] = [(m, 1, [server]), (m, 2, [s, nodeA, nodeB]),
                                                 (s, 8, [m, server]), (s, 3, [nodeA]), (s, 4, [nodeB])]
        for (switchMAC, port, macs) in tables {
            for mac in macs { bridge.registerNeighbour(switchMAC, port: port, neighbour: mac) }
        }
        let types = [server: "server", m: "switch", s: "switch", nodeA: "node", nodeB: "node"]
        let links = bridge.deduceLinks(types: types, at: 1)
        #expect(Set(links.links.keys) == [MACPair(server, m), MACPair(m, s), MACPair(s, nodeA), MACPair(s, nodeB)])
        #expect(links.links[MACPair(m, s)].map { ($0.port1, $0.port2) } ?? (nil, nil) == (2, 8))
        #expect(links.locate(server)?.port == 1)
    }

    @Test func treeDrawingAsUpstream() {
        var tree = DeviceTree(charset: .unicode)
        tree.add("s", label: "-- main --")
        tree.add("t", label: "-- desk --")
        tree.add("a", label: "node-a")
        tree.add("b", label: "(node-b)")
        tree.add("w", label: "walt-server")
        tree.addChild(of: "s", at: .number(12), "t")
        tree.addChild(of: "s", at: .number(2), "a")
        tree.addChild(of: "s", at: .name("uplink"), "w")
        tree.addChild(of: "t", at: .unknown, "b")
        tree.addChild(of: "t", at: .number(1), "s")
        #expect(tree.drawing(root: "s") == """
            -- main --
             ├─2: node-a
             ├─12: -- desk --
             │     ├─?: (node-b)
             │     └─1: ~> back to -- main --
             └─uplink: walt-server

            """)
        var ascii = DeviceTree(charset: .ascii)
        ascii.add("s", label: "-- main --")
        ascii.add("t", label: "-- desk --")
        ascii.addChild(of: "s", at: .number(3), "t")
        ascii.prune("t", "[...] ~> forbidden (cf. walt device config)")
        #expect(ascii.drawing(root: "s") == "-- main --\n |-3: -- desk --\n      |-[...] ~> forbidden (cf. walt device config)\n")
    }

    @Test func poePortMappingThreeWays() {
        let poe = (1...4).map { PoEPort(group: 1, port: $0) }
        // 1. As many 1 Gb/s ports as PoE ports (the simulated switch: loopback 10 Mb/s is
        // reported as 0 there, the bridge too).
        let speeds = [(1, Int64(0)), (2, 1_000_000_000), (3, 1_000_000_000), (4, 100_000_000), (5, 1_000_000_000), (50, 0)]
            .map { (index: $0.0, speed: $0.1) }
        #expect(PoEPortMapping.compute(speeds: speeds, types: [], poePorts: poe) == [2: poe[0], 3: poe[1], 4: poe[2], 5: poe[3]])
        // 2. Unconnected ports at speed 0, but the ethernet ports form a range.
        let idle = (1...5).map { (index: $0, speed: Int64($0 == 1 ? 1_000_000_000 : 0)) }
        let types = (1...4).map { (index: $0, type: Int64(6)) } + [(index: 24, type: Int64(24))]
        #expect(PoEPortMapping.compute(speeds: idle, types: types, poePorts: poe) == [1: poe[0], 2: poe[1], 3: poe[2], 4: poe[3]])
        // 3. A stack: two groups of two, interfaces 1-2 and 101-102 (plus a fast uplink 50).
        let stack = [PoEPort(group: 1, port: 1), PoEPort(group: 1, port: 2), PoEPort(group: 2, port: 1), PoEPort(group: 2, port: 2)]
        let stackSpeeds = [1, 2, 50, 101, 102].map { (index: $0, speed: Int64(1_000_000_000)) }
        let holes = [1, 2, 50, 101, 102].map { (index: $0, type: Int64(6)) }
        #expect(PoEPortMapping.compute(speeds: stackSpeeds, types: holes, poePorts: stack)
                == [1: stack[0], 2: stack[1], 101: stack[2], 102: stack[3]])
        // Nothing fits.
        let odd = [PoEPort(group: 1, port: 1), PoEPort(group: 2, port: 1), PoEPort(group: 2, port: 2)]
        #expect(PoEPortMapping.compute(speeds: stackSpeeds, types: holes, poePorts: odd) == nil)
    }

    @Test func lldpRemoteTableFromWalks() {
        func bind(_ oid: String, _ value: SNMPValue) -> SNMPVarBind { SNMPVarBind(oid: SNMPObjectID(oid)!, value: value) }
        let subtypes = [bind("1.0.8802.1.1.2.1.4.1.1.4.1100.2.1", .integer(4)), bind("1.0.8802.1.1.2.1.4.1.1.4.3000.6.3", .integer(4)),
                        bind("1.0.8802.1.1.2.1.4.1.1.4.3100.5.4", .integer(7))]
        let ids = [bind("1.0.8802.1.1.2.1.4.1.1.5.1100.2.1", .octets([0x02, 0x57, 0x41, 0xf5, 0x56, 0x1f])),
                   bind("1.0.8802.1.1.2.1.4.1.1.5.3000.6.3", .octets([0x1e, 0x29, 0x76, 0xf1, 0xbf, 0x03])),
                   bind("1.0.8802.1.1.2.1.4.1.1.5.3100.5.4", .octets(Array("local".utf8)))]
        let names = [bind("1.0.8802.1.1.2.1.4.1.1.9.1100.2.1", .octets(Array("n1".utf8)))]
        let addresses = [bind("1.0.8802.1.1.2.1.4.2.1.3.3000.6.3.1.4.10.213.0.1", .integer(2)),
                         bind("1.0.8802.1.1.2.1.4.2.1.3.3000.6.3.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1", .integer(2))]
        let table = LLDPNeighbour.table(subtypes: subtypes, chassisIDs: ids, sysNames: names, addresses: addresses)
        #expect(table == [2: LLDPNeighbour(port: 2, mac: "02:57:41:f5:56:1f", ip: nil, sysName: "n1"),
                          6: LLDPNeighbour(port: 6, mac: "1e:29:76:f1:bf:03", ip: "10.213.0.1", sysName: "")])
    }

    @Test func delaysAndNotesInUpstreamWords() {
        #expect(TopologyTreeView.delayText(0.2) == "1 second")
        #expect(TopologyTreeView.delayText(42) == "42 seconds")
        #expect(TopologyTreeView.delayText(61) == "1 minute and 1 second")
        #expect(TopologyTreeView.delayText(3700) == "1 hour and 1 minute")
        #expect(TopologyTreeView.delayText(2 * 86400 + 7200 + 5) == "2 days and 2 hours")
        #expect(TopologyTreeView.explanation("note", ["a"]) == "note: a.\n")
        #expect(TopologyTreeView.explanation("tip", ["a", "b"]) == "tips:\n- a\n- b\n")
    }
}
