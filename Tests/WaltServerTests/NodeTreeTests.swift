import Foundation
import Logging
import Testing
@testable import WaltServer
import WaltCommon

/// The per-node TFTP/NFS tree: directives, and their application on a real directory.
@Suite struct NodeTreeTests {
    static let server = IPv4Network("10.9.0.1/29")!   // hosts .1 to .6
    static let node = NetworkDevice(mac: "52:54:00:00:00:02", ip: "10.9.0.2", name: "n1", type: "node",
                                    model: "pc-x86-64", image: "waltplatform/pc-x86-64-default:latest")

    @Test func directivesOfANode() {
        let withoutImage = NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in nil })
        #expect(withoutImage.isSuperset(of: [
            "DIR 52:54:00:00:00:02", "SYMLINK 52:54:00:00:00:02 52-54-00-00-00-02",
            "SYMLINK 52:54:00:00:00:02 10.9.0.2", "SYMLINK 52:54:00:00:00:02 n1",
            "SYMLINK ../../tftp-static 52:54:00:00:00:02/tftp",
            "SYMLINK persist_dirs/waltplatform 52:54:00:00:00:02/persist",
        ]))
        #expect(!withoutImage.contains { $0.hasSuffix("/fs") }, "no image, no fs link")
        // Free addresses (not .1, the server, nor .2, the node) lead to the probing dir.
        #expect(withoutImage.filter { $0.hasPrefix("SYMLINK probing ") }.sorted()
                == ["SYMLINK probing 10.9.0.3", "SYMLINK probing 10.9.0.4", "SYMLINK probing 10.9.0.5", "SYMLINK probing 10.9.0.6"])
        let mounted = NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in "abc123" })
        #expect(mounted.contains("SYMLINK ../../images/abc123/fs/boot/pc-x86-64 52:54:00:00:00:02/tftp"))
        #expect(mounted.contains("SYMLINK ../../images/abc123/fs 52:54:00:00:00:02/fs"))
        let stopping = NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in "abc123" }, cleanup: true)
        #expect(stopping.contains("SYMLINK ../../tftp-static 52:54:00:00:00:02/tftp"))
        var noPersist = Self.node
        noPersist.persist = false
        #expect(NodeTree.directives(devices: [noPersist], server: Self.server, imageID: { _ in nil })
            .contains("SYMLINK forbidden_dir 52:54:00:00:00:02/persist"))
        let unknownPi = NetworkDevice(mac: "b8:27:eb:00:00:01", ip: "10.9.0.3", name: "pi", type: "unknown")
        let withPi = NodeTree.directives(devices: [unknownPi], server: Self.server, imageID: { _ in nil })
        #expect(withPi.isSuperset(of: ["SYMLINK probing 10.9.0.3", "SYMLINK probing b8:27:eb:00:00:01",
                                       "SYMLINK probing b8-27-eb-00-00-01", "SYMLINK probing pi"]))
    }

    @Test func writerAppliesOnlyDifferences() throws {
        let scratch = try Scratch()
        let nodes = scratch.path("nodes")
        let writer = NodeTreeWriter(nodesDirectory: nodes)
        let fm = FileManager.default
        try writer.apply(NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in nil }))
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/10.9.0.2") == "52:54:00:00:00:02")
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/52:54:00:00:00:02/tftp") == "../../tftp-static")
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/10.9.0.5") == "probing")
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/probing/tftp") == "../../tftp-static")
        var isDirectory: ObjCBool = false
        #expect(fm.fileExists(atPath: nodes + "/52:54:00:00:00:02/persist_dirs/waltplatform", isDirectory: &isDirectory) && isDirectory.boolValue)
        // The persistent directory's content survives a change of the node's links.
        try "data".write(toFile: nodes + "/52:54:00:00:00:02/persist_dirs/waltplatform/f", atomically: true, encoding: .utf8)
        try writer.apply(NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in "id1" }))
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/52:54:00:00:00:02/tftp") == "../../images/id1/fs/boot/pc-x86-64")
        #expect(fm.fileExists(atPath: nodes + "/52:54:00:00:00:02/persist_dirs/waltplatform/f"))
        // Renamed: the old alias goes, the new one comes.
        var renamed = Self.node
        renamed.name = "n2"
        try writer.apply(NodeTree.directives(devices: [renamed], server: Self.server, imageID: { _ in "id1" }))
        #expect(!fm.fileExists(atPath: nodes + "/n1"))
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/n2") == "52:54:00:00:00:02")
        // Forgotten: its directory and aliases go; its address becomes a probing link.
        try writer.apply(NodeTree.directives(devices: [], server: Self.server, imageID: { _ in nil }))
        #expect(!fm.fileExists(atPath: nodes + "/52:54:00:00:00:02"))
        #expect(try fm.destinationOfSymbolicLink(atPath: nodes + "/10.9.0.2") == "probing")
    }

    @Test func writerLeavesForeignFilesAndRecoversFromABadStatus() throws {
        let scratch = try Scratch()
        let nodes = scratch.path("nodes")
        try FileManager.default.createDirectory(atPath: nodes + "/n1", withIntermediateDirectories: true)
        try "mine".write(toFile: nodes + "/n1/keep", atomically: true, encoding: .utf8)
        let writer = NodeTreeWriter(nodesDirectory: nodes)
        // No status file: a reset, which keeps directories' persist data but clears the rest.
        let conflicts = try writer.apply(NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in nil }))
        #expect(conflicts == [nodes + "/n1"], "a real directory in the way is reported, not replaced")
        try writer.apply(NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in nil }))
        // A status file that lies (a link it lists is gone) resets and rebuilds the tree
        // when a new daemon reads it.
        try FileManager.default.removeItem(atPath: nodes + "/10.9.0.2")
        try NodeTreeWriter(nodesDirectory: nodes).apply(NodeTree.directives(devices: [Self.node], server: Self.server, imageID: { _ in nil }))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: nodes + "/10.9.0.2") == "52:54:00:00:00:02")
    }
}

@Suite struct ServiceRestarterTests {
    final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [ContinuousClock.Instant] = []
        func record() { lock.withLock { times.append(.now) } }
        var all: [ContinuousClock.Instant] { lock.withLock { times } }
    }

    @Test func burstsCoalesceAndRestartsKeepTheirDistance() async throws {
        let calls = Calls()
        let restarter = ServiceRestarter(name: "test", minimumInterval: .milliseconds(300), logger: Logger(label: "t")) {
            calls.record()
            try? await Task.sleep(for: .milliseconds(20))
            return 0
        }
        // On a quiet machine the first change restarts at once, the other 19 wait for it and
        // share one restart, and the second burst shares one more (3). A loaded machine
        // stretches the bursts, and each 300 ms they span may add one restart: the bound is
        // what the whole run spanned, and far below one restart per change.
        let start = ContinuousClock.now
        for burst in 0..<2 {
            for _ in 0..<20 { await restarter.configurationChanged() }
            await restarter.waitUntilCurrent()
            if burst == 0 { try await Task.sleep(for: .milliseconds(50)) }
        }
        let allowed = 3 + Int((ContinuousClock.now - start) / .milliseconds(300))
        let times = calls.all
        #expect(times.count >= 2 && times.count <= min(allowed, 39), "\(times.count) restarts, \(allowed) allowed")
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= .milliseconds(300))
        }
        #expect(await restarter.restarts == times.count)
        // Nothing changed: waiting returns at once, no restart.
        await restarter.waitUntilCurrent()
        #expect(calls.all.count == times.count)
    }
}
