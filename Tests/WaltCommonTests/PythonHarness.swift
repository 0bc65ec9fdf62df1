import Foundation

/// Runs one python3 process over a batch of records exchanged through files: each record
/// is a list of byte fields, framed as u32-LE length + bytes.
enum PythonHarness {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func frame(_ records: [[[UInt8]]]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            for field in record {
                let n = UInt32(field.count)
                out += [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)]
                out += field
            }
        }
        return out
    }

    static func unframe(_ bytes: [UInt8], fieldsPerRecord: Int) throws -> [[[UInt8]]] {
        var records: [[[UInt8]]] = []
        var record: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            guard i + 4 <= bytes.count else { throw Failure(description: "truncated output from python") }
            let n = Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24
            i += 4
            guard i + n <= bytes.count else { throw Failure(description: "truncated output from python") }
            record.append(Array(bytes[i..<(i + n)]))
            i += n
            if record.count == fieldsPerRecord {
                records.append(record)
                record = []
            }
        }
        return records
    }

    /// Runs `script` as `python3 script input output`; returns the output records.
    static func run(script: String, records: [[[UInt8]]], fieldsPerRecord: Int) throws -> [[[UInt8]]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("walt-wire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptURL = dir.appendingPathComponent("check.py")
        let inputURL = dir.appendingPathComponent("in.bin")
        let outputURL = dir.appendingPathComponent("out.bin")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        try Data(frame(records)).write(to: inputURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path, inputURL.path, outputURL.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 exited with \(process.terminationStatus): \(errorText)")
        }
        return try unframe(Array(try Data(contentsOf: outputURL)), fieldsPerRecord: fieldsPerRecord)
    }
}
