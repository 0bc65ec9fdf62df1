import Foundation
import Testing
@testable import WaltStore

/// Errors that need no running server: they must say what is wrong and how to fix it.
@Suite struct StoreLifecycleTests {
    @Test func connectFailsClearlyWithoutServer() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.connect(.socket(directory: "/nonexistent", port: 1, database: "walt"))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message.contains("/nonexistent") == true)
    }

    @Test func socketPathLimitIsChecked() {
        let long = "/tmp/" + String(repeating: "d", count: 120)
        let error = #expect(throws: StoreError.self) { try EmbeddedCluster(stateDirectory: long) }
        #expect(error?.message.contains("107") == true)
    }

    @Test func databaseNameIsValidated() {
        #expect(throws: StoreError.self) { try EmbeddedCluster(stateDirectory: "/tmp/x", database: "walt\"; --") }
    }

    @Test func settingsAreQuoted() {
        #expect(EmbeddedCluster.quoted("/tmp/it's") == "'/tmp/it''s'")
        #expect(EmbeddedCluster.quoted("a\\b") == "'a\\\\b'")
    }
}

@Suite struct ClusterSetupTests {
    /// As root, the cluster runs as `postgres`, which must be able to enter the state
    /// directory: a 0700 parent is reported before initdb runs, with the fix.
    @Test(.enabled(if: geteuid() == 0)) func unreachableStateDirectoryIsExplained() throws {
        let parent = "/tmp/walt-store-private-\(getpid())"
        try FileManager.default.createDirectory(
            atPath: parent, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let cluster = try EmbeddedCluster(stateDirectory: parent + "/state")
        let error = #expect(throws: StoreError.self) { try cluster.start() }
        #expect(error?.message.contains("chmod o+x \(parent)") == true)
        #expect(!cluster.isRunning)
    }

    @Test func binariesAreFoundOrExplained() {
        let error = #expect(throws: StoreError.self) { try PostgresBinaries.find(root: "/nonexistent") }
        #expect(error?.message.contains("apt-get install postgresql") == true)
    }
}
