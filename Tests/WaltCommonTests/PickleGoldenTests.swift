import Testing
@testable import WaltCommon

/// Byte-exact pickles captured from walt-client 10.0 and CPython 3.11 (protocol.md §1.6, §2.2, §3.2).
@Suite struct PickleGoldenTests {
    static let showNodesCall: [UInt8] =
        hexBytes("80 04 95 2a 00 00 00 00 00 00 00 28 8c 08") + ascii("API_CALL") + [0x94, 0x8c, 0x0a] + ascii("show_nodes")
        + [0x94, 0x8c, 0x05] + ascii("alice") + hexBytes("94 89 89 87 94 7d 94 74 94 2e")

    static let logRecord: [UInt8] =
        hexBytes("80 04 95 72 00 00 00 00 00 00 00 7d 94 28 8c 09") + ascii("timestamp") + [0x94, 0x8c, 0x08] + ascii("datetime")
        + [0x94, 0x8c, 0x08] + ascii("datetime") + hexBytes("94 93 94 43 0a 07 e9 06 0f 0f 06 28 01 e2 40 94 85 94 52 94 8c 04")
        + ascii("line") + [0x94, 0x8c, 0x07] + ascii("hello 0") + [0x94, 0x8c, 0x06] + ascii("issuer") + [0x94, 0x8c, 0x06]
        + ascii("vnode1") + [0x94, 0x8c, 0x06] + ascii("stream") + [0x94, 0x8c, 0x09] + ascii("walt.test") + hexBytes("94 75 2e")

    static let winSize: [UInt8] =
        hexBytes("80 04 95 46 00 00 00 00 00 00 00 8c 05") + ascii("array") + [0x94, 0x8c, 0x14] + ascii("_array_reconstructor")
        + hexBytes("94 93 94 28 8c 05") + ascii("array") + [0x94, 0x8c, 0x05] + ascii("array")
        + hexBytes("94 93 94 8c 01 68 94 4b 04 43 04 01 00 02 00 94 74 94 52 94 2e")

    @Test func apiCallMatchesTheClientsBytes() throws {
        let value: PyValue = .tuple(["API_CALL", "show_nodes", .tuple(["alice", false, false]), [:]])
        #expect(try PickleDecoder.decode(Self.showNodesCall) == value)
        #expect(PickleEncoder.encode(value) == Self.showNodesCall)
    }

    @Test func logRecordWithDateTime() throws {
        let stamp = try PyDateTime(year: 2025, month: 6, day: 15, hour: 15, minute: 6, second: 40, microsecond: 123_456)
        let value: PyValue = .strDict(["timestamp": .datetime(stamp), "line": "hello 0", "issuer": "vnode1", "stream": "walt.test"])
        #expect(try PickleDecoder.decode(Self.logRecord) == value)
        #expect(PickleEncoder.encode(value) == Self.logRecord)
    }

    @Test func windowSizeArray() throws {
        let value: PyValue = .array(PyArray([1, 2]))
        #expect(try PickleDecoder.decode(Self.winSize) == value)
        #expect(PickleEncoder.encode(value) == Self.winSize)
    }

    @Test func resultNone() throws {
        let bytes = hexBytes("80 04 95 0d 00 00 00 00 00 00 00 8c 06") + ascii("RESULT") + hexBytes("94 4e 86 94 2e")
        #expect(try PickleDecoder.decode(bytes) == .tuple(["RESULT", nil]))
        #expect(PickleEncoder.encode(.tuple(["RESULT", nil])) == bytes)
    }

    @Test func exceptionWithState() throws {
        // pickle.dumps(ImportError('m', name='x'), protocol=4)
        let bytes = hexBytes("80 04 95 33 00 00 00 00 00 00 00 8c 08") + ascii("builtins") + [0x94, 0x8c, 0x0b] + ascii("ImportError")
            + hexBytes("94 93 94 8c 01 6d 94 85 94 52 94 7d 94 8c 04") + ascii("name") + hexBytes("94 8c 01 78 94 73 62 2e")
        let value = PyValue.exception(try PyException("ImportError", args: ["m"], state: .strDict(["name": "x"])))
        #expect(try PickleDecoder.decode(bytes) == value)
        #expect(PickleEncoder.encode(value) == bytes)
    }

    @Test func bigIntegers() throws {
        for text in ["18446744073709551616", "-18446744073709551616", "9223372036854775808", "-9223372036854775809",
                     "-9223372036854775808", "2147483648", "-2147483649", "-128", "255", "65536"] {
            let value = PyValue.int(try #require(PyInt(decimal: Substring(text))))
            #expect(try PickleDecoder.decode(PickleEncoder.encode(value)) == value, "\(text)")
            #expect(value.intValue?.description == text)
        }
    }

    /// What CPython writes with protocol 2: GLOBAL lines, array.array with a list, Python 2 module names.
    @Test func protocolTwoForms() throws {
        let array = hexBytes("80026361727261790a61727261790a710058010000006871015d7102284b014afeffffff658671035271042e")
        #expect(try PickleDecoder.decode(array) == .array(PyArray([1, -2])))
        let error = hexBytes("800263657863657074696f6e730a56616c75654572726f720a710058010000007871018571025271032e")
        #expect(try PickleDecoder.decode(error) == .exception(try PyException("ValueError", args: ["x"])))
        // datetime in protocol 2 goes through _codecs.encode, which is not allowed.
        let stamp = hexBytes("8002636461746574696d650a6461746574696d650a7100635f636f646563730a656e636f64650a7101580b00000007c3a90102000000000000710258060000006c6174696e3171038671045271058571065271072e")
        #expect(throws: PickleError.forbiddenGlobal(module: "_codecs", name: "encode")) { try PickleDecoder.decode(stamp) }
    }

    @Test func forbiddenGlobalIsRefused() {
        let bytes: [UInt8] = [0x80, 0x04] + [0x63] + ascii("os\nsystem\n") + [0x8c, 0x02] + ascii("id") + [0x85, 0x52, 0x2e]
        #expect(throws: PickleError.forbiddenGlobal(module: "os", name: "system")) { try PickleDecoder.decode(bytes) }
    }

    @Test func recursiveListIsRefused() {
        // a = []; a.append(a); pickle.dumps(a, 4)
        let bytes = hexBytes("80 04 95 06 00 00 00 00 00 00 00 5d 94 68 00 61 2e")
        #expect(throws: PickleError.self) { try PickleDecoder.decode(bytes) }
    }

    @Test func sharedListIsCopied() throws {
        // a = [1]; pickle.dumps((a, a), 4)
        let bytes = hexBytes("80 04 95 0a 00 00 00 00 00 00 00 5d 94 4b 01 61 68 00 86 94 2e")
        #expect(try PickleDecoder.decode(bytes) == .tuple([[1], [1]]))
    }
}
