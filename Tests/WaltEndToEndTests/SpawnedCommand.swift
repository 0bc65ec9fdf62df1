import Foundation
import WaltCommon

/// Runs a command to its end with posix_spawn and pipes, reading its stdout and stderr
/// apart. Foundation's `Process.run()` in Swift 6.3.1 over-reads a `dirent` while it lists
/// /proc/self/fd (swift-corelibs-foundation PR #5472) and crashed a CI run of this suite;
/// the commands the tests run most go through this instead.
enum SpawnedCommand {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Exit status (128 + signal when killed), stdout, stderr. As the Foundation version it
    /// replaces, output is read to its end first, and `timeout` bounds the wait for the exit
    /// after that: nil status when the command was then killed. (Scripts such as `expect`
    /// sessions run longer than their own bound while they write.)
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    stdin: String?, timeout: Double) throws -> (status: Int32?, stdout: [UInt8], stderr: [UInt8]) {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard GNUExtensions.pipeCloseOnExec(&input) == 0, GNUExtensions.pipeCloseOnExec(&output) == 0,
              GNUExtensions.pipeCloseOnExec(&errors) == 0 else {
            throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        // Descriptors other libraries opened without close-on-exec stay out of the child.
        GNUExtensions.addCloseFrom(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStringArray(argv.map { Optional($0) } + [nil]) { argvPointer in
            withCStringArray(envp.map { Optional($0) } + [nil]) { envPointer in
                posix_spawn(&pid, executable, &actions, &attributes,
                            UnsafeMutableRawPointer(mutating: argvPointer!).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self),
                            UnsafeMutableRawPointer(mutating: envPointer!).assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self))
            }
        }
        for fd in [input[0], output[1], errors[1]] { close(fd) }
        guard status == 0 else {
            for fd in [input[1], output[0], errors[0]] { close(fd) }
            throw Failure(description: "posix_spawn \(executable): \(String(cString: strerror(status)))")
        }
        if let stdin {
            _ = Array(stdin.utf8).withUnsafeBytes { WriteAll.write(input[1], $0, socket: false) }
        }
        close(input[1])
        var collected: [Int32: [UInt8]] = [output[0]: [], errors[0]: []]
        var open = [output[0], errors[0]]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), 100) >= 0 || errno == EINTR else { break }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    collected[entry.fd]! += buffer[..<count]
                } else if count == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        var waitStatus: Int32 = 0
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        while waitpid(pid, &waitStatus, WNOHANG) == 0 {
            if Date() > deadline {
                timedOut = true
                kill(pid, SIGKILL)
                while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        for fd in [output[0], errors[0]] { close(fd) }
        let exit: Int32 = (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        return (timedOut ? nil : exit, collected[output[0]]!, collected[errors[0]]!)
    }
}
