#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The cluster's programs fail as `StoreError.cluster`, like everything else here.
extension Subprocess {
    func runChecked() throws(StoreError) -> Outcome {
        do {
            return try run()
        } catch {
            throw StoreError(kind: .cluster, message: error.message)
        }
    }

    func startChecked(logFile: String) throws(StoreError) -> pid_t {
        do {
            return try start(logFile: logFile)
        } catch {
            throw StoreError(kind: .cluster, message: error.message)
        }
    }
}

extension Subprocess {
    /// Runs the program to completion on a thread of its own, so that waiting for it
    /// (a service restart, `exportfs`) holds no thread of the daemon's pool.
    public func runInBackground() async throws -> Outcome {
        try await DedicatedThread.run(name: executable) { try self.run() }
    }

    /// Waits for a child started elsewhere (a session's process) on a thread of its own;
    /// its exit code, or 128 + signal number.
    public static func waitInBackground(for pid: pid_t) async throws -> Int32 {
        try await DedicatedThread.run(name: "wait \(pid)") { Subprocess.wait(for: pid) }
    }

    /// `/bin/sh -c command`: for the commands an admin writes in server.conf.
    public static func shell(_ command: String) -> Subprocess {
        Subprocess(executable: "/bin/sh", arguments: ["-c", command])
    }
}
