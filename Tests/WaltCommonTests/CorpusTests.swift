import Testing
@testable import WaltCommon

/// The codecs against the real CPython on this machine, over a seeded corpus.
@Suite struct CorpusTests {
    static func corpus() -> [PyValue] {
        var generator = CorpusGenerator(seed: 0x5741_4C54)
        var values: [PyValue] = CorpusGenerator.specialFloats.map { .float($0) }
        values += [[], [:], .tuple([]), "", .bytes([]), .tuple([1]), .array(PyArray([])), "'", "\"", "'\"", "\\"]
        values.append(.list((0..<1001).map { .int(PyInt($0)) }))
        values.append(.dict((0..<2001).map { (key: .int(PyInt($0)), value: .str("v\($0)")) }))
        values.append(.bytes([UInt8](repeating: 0x41, count: 65_536)))
        values.append(.list([.bytes([UInt8](repeating: 7, count: 70_000)), 1, .str(String(repeating: "z", count: 66_000))]))
        // Diffie-Hellman public keys are 2048-bit: LONG4 territory.
        for text in ["3" + String(repeating: "7", count: 616), "-2" + String(repeating: "0", count: 700)] {
            if let key = PyInt(decimal: Substring(text)) { values.append(.tuple(["client_pub_key", .int(key)])) }
        }
        while values.count < 650 { values.append(generator.value(depth: 4)) }
        return values
    }

    @Test func corpusAgainstCPython() throws {
        let values = Self.corpus()
        var records: [[[UInt8]]] = []
        var swiftReprs: [String] = []
        for value in values {
            let text = try PythonRepr.repr(value)
            swiftReprs.append(text)
            records.append([PickleEncoder.encode(value), Array(text.utf8)])
        }
        let results = try PythonHarness.run(script: corpusPythonScript, records: records, fieldsPerRecord: 4)
        try #require(results.count == values.count)
        var failures: [String: Int] = [:]
        func fail(_ kind: String, _ index: Int, _ detail: @autoclosure () -> String) {
            failures[kind, default: 0] += 1
            if failures[kind] ?? 0 <= 3 { Issue.record("\(kind) #\(index): \(detail())") }
        }
        var identicalBytes = 0
        for (i, value) in values.enumerated() {
            let result = results[i]
            if result[2] == records[i][0] { identicalBytes += 1 }
            let status = String(decoding: result[0], as: UTF8.self)
            // (a) Swift's pickle, unpickled by CPython, equals Swift's repr evaluated by CPython.
            if status != "ok" {
                fail("a-python", i, "\(status): \(String(decoding: result[1], as: UTF8.self)) for \(swiftReprs[i].prefix(300))")
                continue
            }
            // (b) CPython's pickle decodes in Swift to the original value, fed whole and byte by byte.
            do {
                let decoded = try PickleDecoder.decode(result[2])
                if decoded != value { fail("b-decode", i, "got \(decoded.description.prefix(300)) for \(swiftReprs[i].prefix(300))") }
                var trickle = PickleDecoder()
                var trickled: PyValue?
                for byte in result[2] where trickled == nil {
                    trickle.feed(CollectionOfOne(byte))
                    trickled = try trickle.next()
                }
                if trickled != decoded { fail("b-trickle", i, "byte-by-byte decode differs for \(swiftReprs[i].prefix(300))") }
            } catch {
                fail("b-decode", i, "\(error) for \(swiftReprs[i].prefix(300))")
            }
            // (c) repr byte for byte, and the literal parser reads CPython's repr back.
            let pythonRepr = String(decoding: result[3], as: UTF8.self)
            if pythonRepr != swiftReprs[i] {
                fail("c-repr", i, "python \(pythonRepr.prefix(300)) swift \(swiftReprs[i].prefix(300))")
            }
            do {
                let parsed = try PythonLiteralParser.parse(pythonRepr)
                if parsed != value { fail("c-parse", i, "got \(parsed.description.prefix(300)) for \(pythonRepr.prefix(300))") }
            } catch {
                fail("c-parse", i, "\(error) for \(pythonRepr.prefix(300))")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        // CPython re-pickling what it unpickled gives our exact bytes, except where it
        // shares objects (cached 1-character strings, a touched exception __dict__).
        #expect(identicalBytes * 10 >= values.count * 8, "\(identicalBytes) of \(values.count) byte-identical")
        print("corpus: \(identicalBytes) of \(values.count) pickles byte-identical to CPython's")
    }

    /// The python side must really catch differences: wrong pairs have to come back as mismatches.
    @Test func mismatchesAreDetected() throws {
        let wrongPairs: [(PyValue, String)] = [
            (.float(1.0), "1"), (.bool(true), "1"), (.str("a"), "'b'"), (.float(0.0), "-0.0"),
            (.tuple([1]), "[1]"), (.strDict(["a": 1, "b": 2]), "{'b': 2, 'a': 1}"), (.bytes([0x61]), "'a'"),
        ]
        let records = wrongPairs.map { [PickleEncoder.encode($0.0), Array($0.1.utf8)] }
        let results = try PythonHarness.run(script: corpusPythonScript, records: records, fieldsPerRecord: 4)
        #expect(results.map { String(decoding: $0[0], as: UTF8.self) } == Array(repeating: "mismatch", count: wrongPairs.count))
    }
}
