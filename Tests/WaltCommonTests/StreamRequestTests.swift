import Testing
@testable import WaltCommon

/// Port 12347: request ids, the READY/params head, pty events, node log lines (protocol.md §3).
@Suite struct StreamRequestTests {
    @Test func requestTable() {
        #expect(StreamRequest.allCases.count == 17)
        for request in StreamRequest.allCases {
            #expect(StreamRequest(line: Array(request.name.utf8)) == request)
            #expect(StreamRequest(line: request.requestLine.dropLast()) == request)
        }
        #expect(StreamRequest(line: Array(" +4 \r".utf8)) == .nodeCommand)
        for bad in ["17", "-1", "", "REQ_nope", "4x", "0x4"] {
            #expect(StreamRequest(line: Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(StreamRequest.allCases.filter(\.startsWithReady).map(\.rawValue) == [2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 16])
        #expect(StreamRequest.allCases.filter { !$0.hasParameters }.map(\.rawValue) == [0, 10, 14])
    }

    static let shellParameters: PyValue = .strDict([
        "node_ip": "127.0.0.1", "cmdargs": .tuple([]), "ssh_tty": true,
        "win_size": PtyEvent.windowSize(rows: 24, columns: 80), "env": .strDict(["TERM": "xterm"]), "tty_mode": true,
    ])

    /// `walt node shell vnode1`: id, READY, params, then pty events in the same read.
    @Test func nodeShellHead() throws {
        var reader = StreamRequestReader()
        #expect(reader.received(Array("4\n".utf8)) == [.send(StreamRequestReader.ready)])
        let events = [PtyEvent.inputData(Array("ls\r".utf8)), .windowResize(lines: 40, columns: 120), .inputData([3])]
        let eventBytes = events.flatMap { PickleEncoder.encode($0.value) }
        let parameters = PickleEncoder.encode(Self.shellParameters)
        #expect(reader.received(parameters.prefix(20)) == [])
        #expect(reader.received(parameters.dropFirst(20) + eventBytes) == [.request(.nodeCommand, parameters: Self.shellParameters)])
        var decoder = PickleDecoder()
        decoder.feed(reader.takeRemainingBytes())
        var decoded: [PtyEvent] = []
        while let value = try decoder.next() { decoded.append(try PtyEvent(value)) }
        #expect(decoded == events)
        #expect(Self.shellParameters["win_size"] == .array(PyArray([24, 80, 0, 0])))
    }

    @Test func dumpLogsHasNoReady() {
        var reader = StreamRequestReader()
        let parameters: PyValue = .strDict(["history": nil, "realtime": true, "issuers": .strTuple(["vnode1"]),
                                            "streams_regexp": nil, "logline_regexp": nil])
        #expect(reader.received(Array("1\n".utf8) + PickleEncoder.encode(parameters)) == [.request(.dumpLogs, parameters: parameters)])
    }

    @Test func bootupNotificationAndNodeLogsByName() {
        var bootup = StreamRequestReader()
        #expect(bootup.received(Array("REQ_NOTIFY_BOOTUP_STATUS\n\n".utf8))
                == [.send(StreamRequestReader.ok), .request(.notifyBootupStatus, parameters: nil)])
        #expect(bootup.takeRemainingBytes() == [0x0a])
        var logs = StreamRequestReader()
        #expect(logs.received(Array("REQ_NEW_INCOMING_LOGS\nwalt.test\n".utf8)) == [.request(.newIncomingLogs, parameters: nil)])
        #expect(logs.takeRemainingBytes() == Array("walt.test\n".utf8))
    }

    @Test(arguments: ["10\n", "99\n", "hello\n", String(repeating: "1", count: 100)])
    func refusedRequests(_ head: String) {
        var reader = StreamRequestReader()
        let actions = reader.received(Array(head.utf8))
        guard case .refuse? = actions.last else {
            Issue.record("not refused: \(actions)")
            return
        }
        #expect(reader.received(Array("4\n".utf8)).isEmpty)
    }

    @Test func parametersMustBeADict() {
        var reader = StreamRequestReader()
        let actions = reader.received(Array("5\n".utf8) + PickleEncoder.encode(.tuple([])))
        #expect(actions == [.send(StreamRequestReader.ready), .refuse(reason: "parameters are a tuple, not a dict")])
    }

    @Test func annotatedCommandOutput() throws {
        let chunks: [AnnotatedCommandOutput] = [.stdout(Array("STEP 1\n".utf8)), .stderr([0xff]), .retcode(0)]
        for chunk in chunks {
            #expect(try AnnotatedCommandOutput(PickleDecoder.decode(PickleEncoder.encode(chunk.value))) == chunk)
        }
        #expect(throws: PyValueError.self) { try AnnotatedCommandOutput(.tuple(["stdout", "text"])) }
    }

    @Test func nodeLogLinesWithTimestamps() {
        var reader = IncomingLogReader()
        let input = Array("walt.test\nTIMESTAMPS_INSIDE\n1718000000.5 hello world\nnotanumber x\n1718000001 bye\nCLOSE\nignored\n".utf8)
        var actions: [IncomingLogReader.Action] = []
        for byte in input { actions += reader.received([byte]) }
        #expect(actions == [.stream(name: "walt.test", serverTimestamps: false), .line("hello world", timestamp: 1718000000.5),
                            .line("x", timestamp: nil), .line("bye", timestamp: 1718000001), .closed])
        #expect(IncomingLogReader.acceptedTimestamp(1718000000.5, arrival: 1718000001) == 1718000000.5)
        #expect(IncomingLogReader.acceptedTimestamp(5, arrival: 1718000001) == 1718000001)
        #expect(IncomingLogReader.acceptedTimestamp(1718000003, arrival: 1718000001) == 1718000001)
    }

    @Test func nodeLogLinesStampedByServerAndDisconnect() {
        var reader = IncomingLogReader()
        #expect(reader.received(Array("console\nNO_TIMESTAMPS\nboot ok\npartial".utf8))
                == [.stream(name: "console", serverTimestamps: true), .line("boot ok", timestamp: nil)])
        #expect(reader.receivedEOF() == [.line("partial<disconnected!>", timestamp: nil), .closed])
        var quiet = IncomingLogReader()
        _ = quiet.received(Array("console\nNO_TIMESTAMPS\n".utf8))
        #expect(quiet.receivedEOF() == [.line("<disconnected!>", timestamp: nil), .closed])
    }
}
