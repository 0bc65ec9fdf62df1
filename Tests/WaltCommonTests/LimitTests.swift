import Testing
@testable import WaltCommon

/// Size, depth and fan-out limits are refused with a clear error, before allocating.
@Suite struct LimitTests {
    @Test func hugeLengthFieldsAreRefusedBeforeAnyPayloadArrives() {
        let bytes8: [UInt8] = [0x80, 0x04, 0x8e] + [0, 0, 0, 0, 0, 0, 0, 0x10]  // BINBYTES8 of 2^60 bytes
        let unicode8: [UInt8] = [0x80, 0x04, 0x8d] + [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        let binBytes: [UInt8] = [0x80, 0x04, 0x42] + [0x00, 0x00, 0x00, 0x05]  // 80 MiB
        let frame: [UInt8] = [0x80, 0x04, 0x95] + [0, 0, 0, 0, 1, 0, 0, 0]
        for bytes in [bytes8, unicode8, binBytes, frame] {
            var decoder = PickleDecoder()
            decoder.feed(bytes)
            #expect(throws: PickleError.messageTooLarge(limit: 64 << 20)) { try decoder.next() }
        }
    }

    @Test func configuredSizeLimit() {
        var decoder = PickleDecoder(limits: PickleLimits(maxMessageSize: 1000))
        decoder.feed(PickleEncoder.encode(.bytes([UInt8](repeating: 0, count: 2000))))
        #expect(throws: PickleError.messageTooLarge(limit: 1000)) { try decoder.next() }
        var endless = PickleDecoder(limits: PickleLimits(maxMessageSize: 1000))
        endless.feed([UInt8](repeating: 0x28, count: 1500))  // MARKs, never a STOP
        #expect(throws: PickleError.messageTooLarge(limit: 1000)) { try endless.next() }
    }

    @Test func nestingDepth() throws {
        var value: PyValue = 1
        for _ in 0..<100 { value = .list([value]) }
        #expect(try PickleDecoder.decode(PickleEncoder.encode(value)) == value)
        value = .list([value])
        #expect(throws: PickleError.nestingTooDeep(limit: 100)) { try PickleDecoder.decode(PickleEncoder.encode(value)) }
        var tuples: [UInt8] = [0x80, 0x04, 0x29] + [UInt8](repeating: 0x85, count: 500) + [0x2e]
        #expect(throws: PickleError.nestingTooDeep(limit: 100)) { try PickleDecoder.decode(tuples) }
        tuples = [0x80, 0x04] + [UInt8](repeating: 0x5d, count: 300) + [UInt8](repeating: 0x61, count: 299) + [0x2e]
        #expect(throws: PickleError.nestingTooDeep(limit: 100)) { try PickleDecoder.decode(tuples) }
    }

    /// Shared references through the memo: 40 doublings would describe 2^40 values.
    @Test func memoFanOutIsBounded() {
        var bytes: [UInt8] = [0x80, 0x04, 0x5d, 0x94]  // [] memo 0
        for i in 0..<40 {
            bytes += [0x68, UInt8(i), 0x68, UInt8(i), 0x86, 0x94]  // (m[i], m[i]) memo i+1
        }
        bytes.append(0x2e)
        #expect(throws: PickleError.tooManyValues(limit: 16 << 20)) { try PickleDecoder.decode(bytes) }
    }

    @Test func literalLimits() {
        #expect(throws: PythonLiteralError.nestingTooDeep(limit: 100)) {
            try PythonLiteralParser.parse(String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000))
        }
        #expect(throws: PythonLiteralError.nestingTooDeep(limit: 100)) {
            try PythonLiteralParser.parse(String(repeating: "-", count: 5000) + "1")
        }
        #expect(throws: PythonLiteralError.integerTooLong(digits: 4301)) {
            try PythonLiteralParser.parse("1" + String(repeating: "0", count: 4300))
        }
        #expect(throws: PythonLiteralError.tooLong(limit: 10)) {
            try PythonLiteralParser.parse(utf8: Array("'aaaaaaaaaaaaaaaa'".utf8), maxLength: 10)
        }
        let big = PyValue.int(PyInt(decimal: Substring("9" + String(repeating: "0", count: 4300)), maxDigits: 5000) ?? 0)
        #expect(throws: PythonLiteralError.integerTooLong(digits: 4301)) { try PythonRepr.repr(big) }
        // A 4 MiB LONG4 integer: refused from its bit length, without a quadratic conversion.
        let huge = PyInt(twosComplementLittleEndian: [UInt8](repeating: 0x5a, count: 4 << 20))
        #expect(throws: PythonLiteralError.integerTooLong(digits: 10_100_891)) { try PythonRepr.repr(.int(huge)) }
        #expect(PyValue.int(huge).description == "an integer of 33554431 bits")
        #expect(throws: PyValueError.integerOutOfRange(value: "an integer of 33554431 bits", type: "Int")) { try huge.exactly(Int.self) }
    }
}
