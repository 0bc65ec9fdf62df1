import Foundation
import WaltCommon
@testable import WaltServer

/// A real net-snmp snmpd for one test: in the foreground, on a random 127.x.y.z address and
/// a free UDP port, with a configuration of its own in a fresh temporary directory:
/// communities `public` (read) and `private` (read-write), a fixed sysName and sysDescr,
/// and a `pass` script serving a writable subtree under `SNMPAgent.writable`. `stop()`
/// (in a `defer`) kills it and removes the directory.
final class SNMPAgent {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let snmpd = "/usr/sbin/snmpd"
    static var available: Bool { access(snmpd, X_OK) == 0 && access("/usr/bin/snmpwalk", X_OK) == 0 }

    static let sysName = "walt-snmp-test"
    static let sysDescr = "WalT SNMP test agent"
    /// The pass script's subtree: `.1.0` a writable string (initially "initial"), `.2.0` a
    /// writable integer (initially 2, like pethPsePortAdminEnable false(2)).
    static let writable = SNMPObjectID("1.3.6.1.4.1.99999")!

    let address: String
    let port: UInt16
    let directory: String
    private var pid: pid_t = 0

    init() throws {
        var template = Array("/tmp/walt-snmpd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure(description: "mkdtemp: errno \(errno)") }
        directory = String(cString: made)
        address = "127.\(Int.random(in: 1...254)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        do {
            port = try Self.freeUDPPort(on: address)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        do {
            try writeConfiguration()
            let arguments = ["-f", "-Lf", directory + "/snmpd.log", "-C", "-c", directory + "/snmpd.conf",
                             "-p", directory + "/snmpd.pid", "udp:\(address):\(port)"]
            let process = Subprocess(executable: Self.snmpd, arguments: arguments, workingDirectory: directory,
                                     environment: ["SNMP_PERSISTENT_DIR": directory + "/persistent"])
            pid = try process.start(logFile: directory + "/snmpd.out")
            try waitUntilAnswering()
        } catch {
            stop()
            throw error
        }
    }

    /// A client of this agent; short timeouts, the agent being local.
    func client(_ version: SNMPVersion, community: String = "public", timeout: Double = 1,
                retries: Int = 2) -> SNMPClient {
        SNMPClient(host: address, port: port, version: version, community: community, timeout: timeout,
                   retries: retries)
    }

    /// Kills snmpd (TERM, then KILL after 5 s) and removes the directory. Safe to call twice.
    func stop() {
        if pid > 0 {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            var reaped = false
            for _ in 0..<100 where !reaped {
                reaped = waitpid(pid, &status, WNOHANG) != 0
                if !reaped { usleep(50_000) }
            }
            if !reaped {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
            pid = 0
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `snmpwalk -v2c -c public -On -Oe -Ox -Ot` of `root` on this agent, as lines
    /// "OID = value" (numeric OIDs with a leading dot; octets in hexadecimal).
    func netSNMPWalk(_ root: SNMPObjectID) throws -> [String] {
        var walk = Subprocess(executable: "/usr/bin/snmpwalk",
                              arguments: ["-v2c", "-c", "public", "-On", "-Oe", "-Ox", "-Ot", "\(address):\(port)", ".\(root)"],
                              environment: ["SNMP_PERSISTENT_DIR": directory + "/client"])
        walk.outputFile = directory + "/snmpwalk.out"
        let outcome = try walk.run()
        guard outcome.succeeded else { throw Failure(description: "snmpwalk failed: \(outcome.output)") }
        let text = try String(contentsOfFile: directory + "/snmpwalk.out", encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    /// What snmpd and its pass script logged, for failure messages.
    var log: String {
        ["snmpd.out", "snmpd.log"].compactMap { try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
            .joined(separator: "\n").split(separator: "\n")
            .filter { !$0.contains("Cannot find module") && !$0.contains("Did not find") }
            .suffix(40).joined(separator: "\n")
    }

    private func writeConfiguration() throws {
        let script = directory + "/pass.sh"
        try """
            rocommunity public 127.0.0.0/8
            rwcommunity private 127.0.0.0/8
            sysName \(Self.sysName)
            sysDescr \(Self.sysDescr)
            pass .\(Self.writable) /bin/sh \(script)

            """.write(toFile: directory + "/snmpd.conf", atomically: true, encoding: .utf8)
        try "initial\n".write(toFile: directory + "/string.value", atomically: true, encoding: .utf8)
        try "2\n".write(toFile: directory + "/integer.value", atomically: true, encoding: .utf8)
        // net-snmp's pass protocol (snmpd.conf(5)): -g OID answers OID, type, value; -n OID
        // the next OID in the subtree; -s OID TYPE VALUE sets, printing nothing on success.
        try """
            #!/bin/sh
            B=.\(Self.writable)
            D=\(directory)
            string() { echo $B.1.0; echo string; cat $D/string.value; }
            integer() { echo $B.2.0; echo integer; cat $D/integer.value; }
            case "$1" in
            -g) case "$2" in $B.1.0) string;; $B.2.0) integer;; esac;;
            -n) case "$2" in $B|$B.1) string;; $B.1.0|$B.1.*|$B.2) integer;; esac;;
            -s) case "$2/$3" in
                $B.1.0/string) echo "$4" > $D/string.value;;
                $B.2.0/integer) echo "$4" > $D/integer.value;;
                $B.1.0/*|$B.2.0/*) echo wrong-type;;
                *) echo not-writable;;
                esac;;
            esac

            """.write(toFile: script, atomically: true, encoding: .utf8)
    }

    /// Asks for sysName.0 until snmpd answers (it reads its MIB directory first).
    private func waitUntilAnswering() throws {
        let probe = client(.v2c, timeout: 0.2, retries: 0)
        for _ in 0..<100 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw Failure(description: "snmpd exited:\n\(log)")
            }
            if (try? probe.get(SNMPObjectID("1.3.6.1.2.1.1.5.0")!)) != nil { return }
        }
        throw Failure(description: "snmpd did not answer in 20 s:\n\(log)")
    }

    /// A UDP port free on `address` right now (bound, read back, released).
    private static func freeUDPPort(on address: String) throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, address, &sin.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind \(address): errno \(errno)") }
        return UInt16(bigEndian: sin.sin_port)
    }
}
