#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import WaltCommon
import Synchronization

extension EmbeddedCluster {
    /// Starts `postgres -D <data>` as our own child (through `runuser` when root) and
    /// waits until it accepts connections.
    ///
    /// Not `pg_ctl start`: pg_ctl runs postgres through `sh -c`, and leaves it to be reaped
    /// by PID 1. Where PID 1 reaps lazily (containers), a crashed postmaster lingers as a
    /// zombie whose pid still looks alive to the next postmaster, which then refuses to
    /// start. As our child (or runuser's), it is reaped at once by a thread waiting on it.
    func startServer() throws(StoreError) {
        let stalePID = Self.pidFileLines(dataDirectory).first.flatMap { pid_t($0) }
        let pid = try account.command(
            binaries.directory + "/postgres", ["-D", dataDirectory], in: stateDirectory
        ).startChecked(logFile: logFile)
        let child = ServerChild()
        do throws(StoreError) {
            try DedicatedThread.start(name: "walt-pg-reaper") {
                child.exited(with: Subprocess.wait(for: pid))
            }
        } catch {
            kill(pid, SIGTERM)
            _ = Subprocess.wait(for: pid)
            throw error
        }
        // The same readiness test as `pg_ctl start -w`: a new postmaster.pid saying "ready".
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let status = child.exitStatus {
                throw startFailure("postgres exited (status \(status)) before accepting connections")
            }
            let lines = Self.pidFileLines(dataDirectory)
            if lines.count >= 8, lines[7].hasPrefix("ready"),
               let current = pid_t(lines[0]), current != stalePID, runningPID == current {
                return
            }
            usleep(20_000)
        }
        kill(pid, SIGTERM)
        throw startFailure("postgres did not accept connections within 60 s")
    }

    private func startFailure(_ what: String) -> StoreError {
        StoreError(
            kind: .cluster,
            message: "\(what); last lines of \(logFile):\n\(FileSystem.tail(logFile, lines: 10))")
    }

    /// `postmaster.pid`: pid, data dir, start time, port, socket dir, address, shmem key,
    /// status ("starting", "ready", "stopping").
    static func pidFileLines(_ dataDirectory: String) -> [Substring] {
        guard let text = FileSystem.read(dataDirectory + "/postmaster.pid") else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.drop(while: { $0 == " " })
        }
    }
}

/// The exit status of the server child, set by the thread that reaps it.
final class ServerChild: Sendable {
    private let status = Mutex<Int32?>(nil)

    var exitStatus: Int32? { status.withLock { $0 } }

    func exited(with code: Int32) {
        status.withLock { $0 = code }
    }
}
