import Foundation
import Testing

/// walt-server-lldpd: prints lldpd's command line, then becomes it (exec). `/bin/echo`
/// stands in for lldpd, which shows the exact argument vector it received.
struct LLDPDWrapperTests {
    static func run(conf: String, environment: [String: String]) throws -> WaltBinary.Outcome {
        let path = "/tmp/wt-lldpd-\(UUID().uuidString.prefix(8)).conf"
        try conf.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try WaltBinary.run(["--config", path], personality: "walt-server-lldpd", environment: environment)
    }

    @Test func testRawDevice_listenAndChassisOnIt_waltNetAddressAsManagement() throws {
        let outcome = try Self.run(conf: "network:\n    walt-net:\n        raw-device: eth1\n        ip: 192.168.183.1/24\n",
                                   environment: ["LLDPD_BINARY_NAME": "/bin/echo", "RUNTIME_DIRECTORY": "/run/x"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let args = "-c -s -e -X /run/walt/snmpd/agentx-master.socket -I eth1 -C eth1 -m 192.168.183.1 "
            + "-u /run/x/lldpd.socket -D snmp -p /run/walt/lldpd/lldpd.pid"
        #expect(outcome.stdout == "/bin/echo \(args)\n\(args)\n")
    }

    @Test func testVirtualOnly_allInterfaces() throws {
        let outcome = try Self.run(conf: "network:\n    walt-net:\n        ip: 10.1.0.1/16\n",
                                   environment: ["LLDPD_BINARY_NAME": "/bin/echo", "SNMPD_AGENTX_SOCKET": "/tmp/ax", "PIDFILE": "/tmp/p"])
        #expect(outcome.stdout.hasSuffix("\n-c -s -e -X /tmp/ax -m 10.1.0.1 -u /run/walt/lldpd/lldpd.socket -D snmp -p /tmp/p\n"),
                "\(outcome.stdout)")
    }

    @Test func testMissingBinaryOrConfig_oneLineExit1() throws {
        let missing = try Self.run(conf: "network:\n    walt-net:\n        ip: 10.1.0.1/16\n",
                                   environment: ["LLDPD_BINARY_NAME": "/nonexistent/lldpd"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "walt-server-lldpd: cannot run /nonexistent/lldpd: No such file or directory\n")
        let noConf = try WaltBinary.run(["--config", "/nonexistent/server.conf"], personality: "walt-server-lldpd")
        #expect(noConf.status == 1)
        #expect(noConf.stderr == "walt-server-lldpd: missing configuration file at /nonexistent/server.conf\n")
    }
}
