import Testing
import WaltCommon
@testable import WaltServer

/// Pure parts of the log pipeline and the device texts.
@Suite struct LogLogicTests {
    @Test func testLogQuery_readsTheClientParameters() throws {
        let query = try LogQuery(parameters: [
            ("history", .tuple([.float(10.5), .none])), ("realtime", true), ("issuers", .tuple(["vnode1", "walt-server"])),
            ("streams_regexp", "^platform\\."), ("logline_regexp", ""), ("timestamps_format", "float-ms"),
            ("output_format", "dict-pickles"),
        ])
        #expect(query.history?.from == 10.5 && query.history?.to == nil)
        #expect(query.realtime)
        #expect(query.issuers == ["vnode1", "walt-server"])
        #expect(query.streamsRegexp == "^platform\\.")
        #expect(query.loglineRegexp == nil)  // empty pattern: no filter, as upstream
        #expect(query.timestampsFormat == .floatMilliseconds)
        #expect(throws: LogQuery.Invalid.self) { try LogQuery(parameters: [("history", 3)]) }
        #expect(throws: LogQuery.Invalid.self) { try LogQuery(parameters: [("output_format", "numpy-pickles")]) }
        #expect(throws: LogQuery.Invalid.self) { try LogQuery(parameters: [("unknown", 1)]) }
    }

    @Test func testLogFilter_posixExtendedSearch() throws {
        var query = LogQuery()
        query.issuers = ["n1"]
        query.streamsRegexp = "^test-(suite|x)$"
        query.loglineRegexp = "a+b"
        let filter = try LogFilter(query)
        let info = LogStreamInfo(issuer: "n1", stream: "test-suite")
        #expect(filter.accepts(LogRecord(streamID: 1, timestamp: 0, line: "xxaab"), info))
        #expect(!filter.accepts(LogRecord(streamID: 1, timestamp: 0, line: "b"), info))
        #expect(!filter.accepts(LogRecord(streamID: 1, timestamp: 0, line: "ab"), LogStreamInfo(issuer: "n2", stream: "test-suite")))
        #expect(!filter.accepts(LogRecord(streamID: 1, timestamp: 0, line: "ab"), LogStreamInfo(issuer: "n1", stream: "test-suites")))
        query.streamsRegexp = "("
        #expect(throws: PosixRegex.Invalid.self) { try LogFilter(query) }
    }

    @Test func testRecordEncoding_keyOrderAndFormats() {
        let value = LogRecordEncoder.value(timestamp: 1.5, line: "l", issuer: "i", stream: "s", format: .floatMilliseconds)
        #expect(value == .dict([("timestamp", .float(1500)), ("line", "l"), ("issuer", "i"), ("stream", "s")]))
        guard case .dict(let pairs) = LogRecordEncoder.value(timestamp: 1.25, line: "l", issuer: "i", stream: "s", format: .datetime),
              case .datetime(let time) = pairs[0].value else {
            Issue.record("timestamp is not a datetime")
            return
        }
        #expect(time.microsecond == 250_000)
        #expect(LocalTime.timestamp(time) == 1.25)
    }

    @Test func testCheckpointText_likePythonStr() {
        #expect(Checkpoints.pythonText("2024-05-01 12:00:00.000000") == "2024-05-01 12:00:00")
        #expect(Checkpoints.pythonText("2024-05-01 12:00:00.120000") == "2024-05-01 12:00:00.120000")
        #expect(Checkpoints.dateTime("2024-05-01 12:03:04.000005")?.microsecond == 5)
    }

    @Test func testRegistrationPlatformLines_asUpstream() {
        let added = DeviceRepository.Registration.added(name: "node-123456", type: "node", model: "rpi-3-b")
        #expect(added.platformLines(mac: "b8:27:eb:12:34:56", ip: "192.168.152.7")
            == ["new node name=node-123456 model=rpi-3-b mac=b8:27:eb:12:34:56 ip=192.168.152.7"])
        let unknown = DeviceRepository.Registration.added(name: "unknown-000001", type: "unknown", model: nil)
        #expect(unknown.platformLines(mac: "00:00:00:00:00:01", ip: nil)
            == ["new device name=unknown-000001 type=unknown mac=00:00:00:00:00:01 ip=None"])
        let identified = DeviceRepository.Registration.identified(name: "node-000001", type: "node", model: "pc",
                                                                  renamedFrom: "unknown-000001")
        #expect(identified.platformLines(mac: "00:00:00:00:00:01", ip: "10.0.0.1") == [
            "renamed unknown-000001 to node-000001 for clarity",
            "new node (device type previously unknown) name=node-000001 model=pc mac=00:00:00:00:00:01 ip=10.0.0.1",
        ])
    }

    @Test func testDeviceShow_layout() {
        let text = DeviceShow.render([
            .init(name: "rpi-a", ip: "192.168.152.7", mac: "b8:27:eb:12:34:56", type: "node (physical)", netsetup: "LAN"),
            .init(name: "walt-server", ip: "192.168.152.1", mac: "02:00:00:00:00:01", type: "server", netsetup: nil),
            .init(name: "unknown-0a0b0c", ip: nil, mac: "00:0a:0b:0a:0b:0c", type: "unknown", netsetup: nil),
        ])
        #expect(text.hasPrefix("\n\u{1B}[1mThe WalT network contains the following devices:\n\u{1B}[0m\n"))
        #expect(text.contains("name         ip             mac                type             netsetup\n"))
        #expect(text.contains("walt-server  192.168.152.1  02:00:00:00:00:01  server                   \n"))
        #expect(text.contains("WalT also detected the following devices but could not detect their type:"))
        #expect(text.hasSuffix("If one of them is actually a switch, use 'walt device config <name> type=switch' to fix this.\n\n"))
    }
}
