import Foundation
import Testing

@testable import WaltClient

/// The tar stream of `walt node cp`: our writer read back by our reader and by GNU tar,
/// GNU tar's archives (long names as `L` members, pax) unpacked by our extractor, fed in
/// any piece sizes, and members that would land outside the destination refused.
@Suite struct TarTests {
    static let longName = String(repeating: "long-directory-name/", count: 6) + "file-with-a-long-name.txt"

    /// A tree with what `node cp` meets: files (one empty), a nested directory, a symlink,
    /// a hard link, a name past ustar's 100 bytes and a non-ASCII one.
    static func makeTree(in root: URL) throws -> URL {
        let tree = root.appendingPathComponent("src")
        let fm = FileManager.default
        try fm.createDirectory(at: tree.appendingPathComponent("sub/deeper"), withIntermediateDirectories: true)
        try fm.createDirectory(at: tree.appendingPathComponent((Self.longName as NSString).deletingLastPathComponent),
                               withIntermediateDirectories: true)
        try "hello\n".write(to: tree.appendingPathComponent("a.txt"), atomically: false, encoding: .utf8)
        try Data().write(to: tree.appendingPathComponent("empty"))
        try Data((0..<70_000).map { UInt8($0 % 251) }).write(to: tree.appendingPathComponent("sub/deeper/big.bin"))
        try "long\n".write(to: tree.appendingPathComponent(Self.longName), atomically: false, encoding: .utf8)
        try "été\n".write(to: tree.appendingPathComponent("sub/café.txt"), atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: tree.appendingPathComponent("link").path, withDestinationPath: "a.txt")
        try fm.linkItem(atPath: tree.appendingPathComponent("a.txt").path, toPath: tree.appendingPathComponent("sub/hard").path)
        chmod(tree.appendingPathComponent("a.txt").path, 0o640)
        return tree
    }

    static func scratch() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/wtar-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func archive(_ path: String, as name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var writer = TarWriter { bytes += $0 }
        try writer.add(path, as: name)
        try writer.finish()
        return bytes
    }

    static func run(_ arguments: [String], in directory: URL) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Relative path → kind and content, for comparing trees.
    static func listing(_ root: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let fm = FileManager.default
        for case let path as String in fm.enumerator(atPath: root.path)! {
            let full = root.appendingPathComponent(path).path
            let attributes = try fm.attributesOfItem(atPath: full)
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?: result[path] = "link:" + (try fm.destinationOfSymbolicLink(atPath: full))
            case .typeDirectory?: result[path] = "dir"
            default: result[path] = "file:" + (try Data(contentsOf: URL(fileURLWithPath: full))).base64EncodedString()
            }
        }
        return result
    }

    @Test func testHeader_roundTripChecksumAndNumbers() throws {
        var header = TarHeader()
        header.name = "dir/file"
        header.mode = 0o644
        header.size = 12345
        header.mtime = 1_700_000_000
        header.userName = "root"
        header.groupName = "root"
        let block = header.encode()
        #expect(block.count == 512)
        let sum = block.enumerated().reduce(0) { $0 + Int((148..<156).contains($1.offset) ? 0x20 : $1.element) }
        #expect(Array(block[148..<156]) == Array(String(format: "%06o", sum).utf8) + [0, 0x20])
        #expect(try TarHeader.decode(block[...]) == header)
        var damaged = block
        damaged[0] ^= 1
        #expect(throws: TarError("bad checksum")) { try TarHeader.decode(damaged[...]) }
        #expect(try TarHeader.decode([UInt8](repeating: 0, count: 512)[...]) == nil)
        #expect(TarHeader.number(Array("0000644 \0".utf8)[...]) == 0o644)
        #expect(TarHeader.number(([0x80] + [UInt8](repeating: 0, count: 7) + [1, 0, 0, 0])[...]) == 1 << 24)
        #expect(TarHeader.number(Array("12x".utf8)[...]) == nil)
    }

    @Test func testPaxRecords_lengthCountsItself() throws {
        let body = TarPaxRecords.encode([("path", "a"), ("mtime", "1350244992.023960108")])
        #expect(String(decoding: body, as: UTF8.self) == "9 path=a\n30 mtime=1350244992.023960108\n")
        let decoded = try TarPaxRecords.decode(body)
        #expect(decoded.map(\.keyword) == ["path", "mtime"])
        #expect(decoded.map(\.value) == ["a", "1350244992.023960108"])
        #expect(throws: TarError.self) { try TarPaxRecords.decode(Array("99 path=a\n".utf8)) }
    }

    @Test func testWriter_membersAsUpstream() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try Self.makeTree(in: root)
        let bytes = try Self.archive(tree.path, as: "renamed")
        #expect(bytes.count % TarWriter.recordSize == 0)
        var reader = TarReader()
        let entries = try reader.feed(bytes).compactMap { event -> TarReader.Entry? in
            if case .entry(let entry) = event { return entry }
            return nil
        }
        #expect(reader.isDone)
        #expect(entries.map(\.path) == [
            "renamed/", "renamed/a.txt", "renamed/empty", "renamed/link",
            "renamed/long-directory-name/", "renamed/long-directory-name/long-directory-name/",
        ] + (3...6).map { "renamed/" + String(repeating: "long-directory-name/", count: $0) }
          + ["renamed/" + Self.longName, "renamed/sub/", "renamed/sub/café.txt", "renamed/sub/deeper/",
             "renamed/sub/deeper/big.bin", "renamed/sub/hard"])
        #expect(entries.allSatisfy { $0.uid == 0 && $0.gid == 0 && $0.userName == "root" && $0.groupName == "root" })
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0) })
        #expect(byPath["renamed/a.txt"]?.mode == 0o640)
        #expect(byPath["renamed/link"]?.kind == .symbolicLink && byPath["renamed/link"]?.linkName == "a.txt")
        #expect(byPath["renamed/sub/hard"]?.kind == .hardLink && byPath["renamed/sub/hard"]?.linkName == "renamed/a.txt")
        #expect(byPath["renamed/sub/deeper/big.bin"]?.size == 70_000)
    }

    @Test func testWriter_readByGNUTar_andReaderIsPieceSizeBlind() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try Self.makeTree(in: root)
        let bytes = try Self.archive(tree.path, as: "copy")
        try Data(bytes).write(to: root.appendingPathComponent("ours.tar"))
        let out = root.appendingPathComponent("gnu")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let (status, text) = try Self.run(["tar", "xf", "../ours.tar"], in: out)
        #expect(status == 0, "\(text)")
        #expect(try Self.listing(out.appendingPathComponent("copy")) == Self.listing(tree))

        var whole = TarReader(), bytewise = TarReader(), odd = TarReader()
        let expected = try whole.feed(bytes)
        var pieces: [TarReader.Event] = []
        for byte in bytes.prefix(40_000) { pieces += try bytewise.feed([byte]) }
        pieces += try bytewise.feed(bytes.dropFirst(40_000))
        var chunked: [TarReader.Event] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            chunked += try odd.feed(rest.prefix(777))
            rest = rest.dropFirst(777)
        }
        func merged(_ events: [TarReader.Event]) -> [TarReader.Event] {
            var out: [TarReader.Event] = []
            for event in events {
                if case .data(let more) = event, case .data(let previous)? = out.last {
                    out[out.count - 1] = .data(previous + more)
                } else {
                    out.append(event)
                }
            }
            return out
        }
        #expect(merged(pieces) == merged(expected))
        #expect(merged(chunked) == merged(expected))
    }

    @Test func testExtractor_unpacksGNUTarArchives() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try Self.makeTree(in: root)
        for format in ["gnu", "pax"] {
            let (status, text) = try Self.run(["tar", "--format=\(format)", "-cf", "\(format).tar", "src"], in: root)
            #expect(status == 0, "\(text)")
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent("\(format).tar")))
            let destination = root.appendingPathComponent("out-\(format)")
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            var reader = TarReader()
            var extractor = TarExtractor(directory: destination.path)
            var rest = bytes[...]
            while !rest.isEmpty && !reader.isDone {
                for event in try reader.feed(rest.prefix(1000)) { try extractor.handle(event) }
                rest = rest.dropFirst(1000)
            }
            try reader.finish()
            try extractor.finishArchive()
            #expect(try Self.listing(destination.appendingPathComponent("src")) == Self.listing(tree), "\(format)")
            let mode = try FileManager.default.attributesOfItem(atPath: destination.appendingPathComponent("src/a.txt").path)[.posixPermissions]
            #expect(mode as? Int == 0o640)
        }
    }

    @Test func testExtractor_refusesEscapes() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        func extract(_ members: [(TarHeader, [UInt8])]) throws {
            var bytes: [UInt8] = []
            for (header, data) in members {
                var header = header
                header.size = header.kind == .file ? data.count : 0
                bytes += header.encode() + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
            }
            bytes += [UInt8](repeating: 0, count: 1024)
            var reader = TarReader()
            var extractor = TarExtractor(directory: root.appendingPathComponent("dst").path)
            for event in try reader.feed(bytes) { try extractor.handle(event) }
        }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("dst"), withIntermediateDirectories: true)
        var dotdot = TarHeader()
        dotdot.name = "x/../../escaped"
        dotdot.mode = 0o644
        #expect(throws: TarError.self) { try extract([(dotdot, Array("no".utf8))]) }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("escaped").path))

        var link = TarHeader()
        link.name = "x"
        link.kind = .symbolicLink
        link.linkName = root.path
        var through = TarHeader()
        through.name = "x/escaped"
        through.mode = 0o644
        #expect(throws: TarError.self) { try extract([(link, []), (through, Array("no".utf8))]) }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("escaped").path))
    }

    @Test func testReader_reportsTruncatedAndEmptyStreams() throws {
        let empty = TarReader()
        #expect(throws: TarError("empty file")) { try empty.finish() }
        var header = TarHeader()
        header.name = "f"
        header.size = 10
        var truncated = TarReader()
        _ = try truncated.feed(header.encode() + Array("abc".utf8))
        #expect(throws: TarError("unexpected end of data")) { try truncated.finish() }
        var text = TarReader()
        #expect(throws: TarError.self) { try text.feed(Array(("No node has IP 192.0.2.9.\n" + String(repeating: " ", count: 600)).utf8)) }
    }
}
