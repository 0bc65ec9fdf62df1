import Testing
@testable import WaltCommon

/// Both ends of port 12345 replaying protocol.md §1.6 (`walt node show` with callbacks).
@Suite struct RPCTranscriptTests {
    static func pickle(_ value: PyValue) -> [UInt8] { PickleEncoder.encode(value) }
    static let setModeLine = hexBytes("28 27 53 45 54 5f 4d 4f 44 45 27 2c 20 27 70 69 63 6b 6c 65 34 27 29 0a")
    static let getUsername = hexBytes("80 04 95 21 00 00 00 00 00 00 00 28 8c 08") + ascii("API_CALL") + [0x94, 0x8c, 0x0c]
        + ascii("get_username") + hexBytes("94 29 7d 94 74 94 2e")
    static let resultAlice = hexBytes("80 04 95 14 00 00 00 00 00 00 00 8c 06") + ascii("RESULT") + [0x94, 0x8c, 0x05]
        + ascii("alice") + hexBytes("94 86 94 2e")
    static let resultNone = hexBytes("80 04 95 0d 00 00 00 00 00 00 00 8c 06") + ascii("RESULT") + hexBytes("94 4e 86 94 2e")

    @Test func clientSideOfNodeShow() throws {
        var client = RPCClientStateMachine()
        #expect(client.start() == ascii("10\nCSAPI\n"))
        #expect(client.received(ascii("10.0\n")) == [.connected(serverVersion: "10.0"), .send(Self.setModeLine)])
        #expect(try client.call("show_nodes", args: ["alice", false, false]) == PickleGoldenTests.showNodesCall)
        #expect(client.received(Self.getUsername) == [.callback(path: "get_username", args: [], kwargs: [])])
        #expect(try client.callbackResult("alice") == Self.resultAlice)
        let write = Self.pickle(.tuple(["API_CALL", "stdout.write", .tuple(["callback test\n"]), [:]]))
        let flush = Self.pickle(.tuple(["API_CALL", "stdout.flush", .tuple([]), [:]]))
        // Two callbacks in one read: the second waits until the first is answered.
        #expect(client.received(write + flush) == [.callback(path: "stdout.write", args: ["callback test\n"], kwargs: [])])
        #expect(try client.callbackResult(nil) == Self.resultNone)
        #expect(client.received([]) == [.callback(path: "stdout.flush", args: [], kwargs: [])])
        #expect(try client.callbackResult(nil) == Self.resultNone)
        #expect(client.received(Self.pickle(.tuple(["RESULT", "NODES OF alice"]))) == [.result("NODES OF alice")])
        #expect(client.state == .ready)
        #expect(client.receivedEOF() == nil)
    }

    /// A pipelined start sends SET_MODE with the handshake and lets the first call leave
    /// before the version line; the version still comes out first, then the call's result.
    @Test func pipelinedStart_callBeforeVersion() throws {
        var client = RPCClientStateMachine()
        #expect(client.start(pipelined: true) == ascii("10\nCSAPI\n") + Self.setModeLine)
        #expect(try client.call("show_nodes", args: ["alice", false, false]) == PickleGoldenTests.showNodesCall)
        #expect(throws: RPCProtocolError.self) { try client.call("get_time") }
        #expect(client.state == .awaitingVersion)
        let reply = ascii("10.0\n") + Self.pickle(.tuple(["RESULT", "NODES OF alice"]))
        #expect(client.received(reply) == [.connected(serverVersion: "10.0"), .result("NODES OF alice")])
        #expect(client.state == .ready)
        // Later calls are pickles in the mode announced up front.
        #expect(try client.call("get_time") == Self.pickle(.tuple(["API_CALL", "get_time", .tuple([]), [:]])))
    }

    /// Without a call, a pipelined link is ready once the version line came; a message
    /// before the version, or EOF, breaks it.
    @Test func pipelinedStart_versionThenIdle_orBroken() throws {
        var idle = RPCClientStateMachine()
        _ = idle.start(pipelined: true)
        #expect(idle.received(ascii("10.0\n")) == [.connected(serverVersion: "10.0")])
        #expect(idle.state == .ready)
        var cut = RPCClientStateMachine()
        _ = cut.start(pipelined: true)
        _ = try cut.call("show_nodes", args: ["alice", false, false])
        #expect(cut.receivedEOF() == .failure("server closed the connection"))
    }

    /// Our server takes the pipelined bytes in one read: version, mode, then the call.
    @Test func serverTakesPipelinedBytesInOneRead() throws {
        var client = RPCClientStateMachine()
        var server = RPCServerStateMachine(allowedAPIs: [.csapi])
        let bytes = client.start(pipelined: true) + (try client.call("show_nodes", args: ["alice", false, false]))
        #expect(server.received(bytes) == [.send(ascii("10.0\n")), .modeChanged(.pickle4),
                                           .call(path: "show_nodes", args: ["alice", false, false], kwargs: [])])
        let reply = ascii("10.0\n") + (try server.result("NODES"))
        #expect(client.received(reply) == [.connected(serverVersion: "10.0"), .result("NODES")])
    }

    @Test func serverSideOfNodeShowInOneRead() throws {
        var server = RPCServerStateMachine()
        let actions = server.received(ascii("10\nCSAPI\n") + Self.setModeLine + PickleGoldenTests.showNodesCall)
        #expect(actions == [.send(ascii("10.0\n")), .modeChanged(.pickle4),
                            .call(path: "show_nodes", args: ["alice", false, false], kwargs: [])])
        #expect(try server.callback("get_username") == Self.getUsername)
        #expect(server.received(Self.resultAlice) == [.callbackResult("alice")])
        #expect(throws: RPCProtocolError.self) { try server.callback("x").count + (try server.result("early")).count }
        #expect(server.received(Self.resultNone) == [.callbackResult(nil)])
        #expect(try server.result("NODES OF alice") == Self.pickle(.tuple(["RESULT", "NODES OF alice"])))
        #expect(server.receivedEOF() == .close(reason: "client disconnected"))
    }

    /// Our client and our server against each other, bytes delivered one at a time.
    @Test func clientAndServerTogetherByteByByte() throws {
        var client = RPCClientStateMachine()
        var server = RPCServerStateMachine(allowedAPIs: [.csapi])
        var serverActions: [RPCServerStateMachine.Action] = []
        var clientActions: [RPCClientStateMachine.Action] = []
        func toServer(_ bytes: [UInt8]) { for b in bytes { serverActions += server.received([b]) } }
        func toClient(_ bytes: [UInt8]) { for b in bytes { clientActions += client.received([b]) } }
        toServer(client.start())
        #expect(serverActions == [.send(ascii("10.0\n"))])
        toClient(ascii("10.0\n"))
        guard case .send(let setMode)? = clientActions.last else { Issue.record("no SET_MODE"); return }
        toServer(setMode + (try client.call("get_nodes_info", args: ["all-nodes"], kwargs: [(key: "x", value: 1)])))
        #expect(serverActions.suffix(2) == [.modeChanged(.pickle4), .call(path: "get_nodes_info", args: ["all-nodes"], kwargs: [(key: "x", value: 1)])])
        toClient(try server.callback("stderr.write", args: ["oops\n"]))
        #expect(clientActions.last == .callback(path: "stderr.write", args: ["oops\n"], kwargs: []))
        toServer(try client.callbackResult(nil))
        #expect(serverActions.last == .callbackResult(nil))
        let nodes: PyValue = .tuple([.strDict(["name": "vnode1", "virtual": true, "conf": ["netsetup": 0]])])
        toClient(try server.result(nodes))
        #expect(clientActions.last == .result(nodes))
    }

    /// Nodes stay in line mode (`walt-rpc`): requests and answers are repr lines.
    @Test func nodeLineModeSession() throws {
        var server = RPCServerStateMachine()
        let actions = server.received(ascii("REQ_API_SESSION\r\nNSAPI\n('API_CALL', 'sync_clock', (), {})\n"))
        #expect(actions == [.send(ascii("10.0\n")), .call(path: "sync_clock", args: [], kwargs: [])])
        #expect(server.mode == .lineReprEval)
        #expect(try server.result(1718000000.25) == ascii("('RESULT', 1718000000.25)\n"))
        #expect(server.received(ascii("('CLOSE')\n")) == [.close(reason: "client ended the session")])
    }

    /// Messages sent before a call is answered wait for it, as upstream reads one message
    /// at a time: a node's pipelined ('CLOSE') ends the session after the answer, and a
    /// second call runs after the first. A call during a callback is still refused.
    @Test func pipelinedMessagesWaitForTheCall() throws {
        var server = RPCServerStateMachine()
        let actions = server.received(ascii("REQ_API_SESSION\nNSAPI\n('API_CALL', 'a', (), {})\n('API_CALL', 'b', (), {})\n('CLOSE')\n"))
        #expect(actions == [.send(ascii("10.0\n")), .call(path: "a", args: [], kwargs: [])])
        #expect(server.state == .session(.nsapi))
        _ = try server.result(nil)
        #expect(server.received([UInt8]()) == [.call(path: "b", args: [], kwargs: [])])
        _ = try server.result(nil)
        #expect(server.received([UInt8]()) == [.close(reason: "client ended the session")])
        var busy = RPCServerStateMachine()
        _ = busy.received(ascii("10\nCSAPI\n('API_CALL', 'a', (), {})\n"))
        _ = try busy.callback("stdout.write", args: ["x"])
        #expect(busy.received(ascii("('API_CALL', 'b', (), {})\n")) == [.close(reason: "API_CALL while another call is running")])
    }

    @Test(arguments: [
        ("11\nCSAPI\n", "invalid request '11' on the RPC port"),
        ("10\nXSAPI\n", "unknown API 'XSAPI'"),
        ("10\nSSAPI\n", "API SSAPI is not allowed for this peer"),
        ("10\nCSAPI\n('RESULT', None)\n", "RESULT with no pending callback"),
        ("10\nCSAPI\n('SET_MODE', 'json')\n", "unknown mode 'json'"),
        ("10\nCSAPI\n__import__('os')\n", "unreadable line message: unsupported Python literal at offset 0: '__import__(...)' is not an allowed constructor"),
    ])
    func serverRefuses(_ input: String, _ reason: String) {
        var server = RPCServerStateMachine(allowedAPIs: [.csapi, .nsapi])
        #expect(server.received(ascii(input)).last == .close(reason: reason))
        #expect(server.state == .closed)
        #expect(server.received(ascii("10\n")).isEmpty)
    }

    @Test func clientFailsOnUnexpectedMessages() throws {
        var client = RPCClientStateMachine()
        _ = client.start()
        _ = client.received(ascii("10.0\n"))
        _ = try client.call("get_time")
        #expect(client.received(Self.pickle(.tuple(["HELLO", 1]))) == [.failure("unexpected message ('HELLO', 1)")])
        var other = RPCClientStateMachine()
        _ = other.start()
        _ = other.received(ascii("10.0\n"))
        _ = try other.call("get_time")
        #expect(other.received(Self.pickle(.tuple(["EXCEPTION", "boom"]))) == [.serverException("boom")])
        var gone = RPCClientStateMachine()
        _ = gone.start()
        #expect(gone.receivedEOF() == .failure("server closed the connection"))
    }
}
