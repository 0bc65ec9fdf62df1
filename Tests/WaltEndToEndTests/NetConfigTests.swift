import Foundation
import Testing

/// walt-net-config up/down from a server.conf, inside a network namespace of the test's own.
@Suite(.serialized, .enabled(if: TestNamespace.available, "needs root and iproute2 (network namespaces)"))
struct NetConfigTests {
    final class Setup {
        let namespace: TestNamespace
        let directory: URL

        init(conf: String) throws {
            namespace = try TestNamespace()
            directory = URL(fileURLWithPath: "/tmp/wt-nc-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try conf.write(to: directory.appendingPathComponent("server.conf"), atomically: true, encoding: .utf8)
        }

        func netConfig(_ action: String, environment: [String: String] = [:], timeout: Double = 30) throws -> WaltBinary.Outcome {
            try namespace.run("walt-net-config", ["--config", directory.appendingPathComponent("server.conf").path,
                                                  "--state-dir", directory.path, action],
                              environment: environment, timeout: timeout)
        }

        func addresses(_ device: String) throws -> [String] {
            try namespace.ip(["-o", "-4", "addr", "show", "dev", device]).stdout.split(separator: "\n").compactMap {
                let words = $0.split(separator: " ")
                return words.firstIndex(of: "inet").map { String(words[$0 + 1]) }
            }
        }

        func linkLine(_ device: String) throws -> String {
            try namespace.ip(["-o", "-d", "link", "show", "dev", device]).stdout
        }

        func remove() {
            namespace.remove()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static let virtualOnly = "network:\n    walt-net:\n        raw-device: null\n        ip: 192.168.183.1/24\n"

    @Test func testVirtualOnly_upIdempotent_downRemovesAll_macKept() throws {
        let setup = try Setup(conf: Self.virtualOnly)
        defer { setup.remove() }
        let up = try setup.netConfig("up")
        #expect(up.status == 0, "\(up.stderr)")
        #expect(try setup.addresses("walt-net") == ["192.168.183.1/24"])
        let bridge = try setup.linkLine("walt-net")
        #expect(bridge.contains("bridge"), "\(bridge)")
        #expect(bridge.contains("link/ether 52:54:00:"), "\(bridge)")
        #expect(try setup.linkLine("walt-net-dummy").contains("master walt-net"))
        let mac = try String(contentsOf: setup.directory.appendingPathComponent(".walt-net.mac"), encoding: .utf8)

        let again = try setup.netConfig("up")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try setup.addresses("walt-net") == ["192.168.183.1/24"], "a second up adds nothing")

        #expect(try setup.netConfig("down").status == 0)
        #expect(try setup.namespace.links().isEmpty)
        let downAgain = try setup.netConfig("down")
        #expect(downAgain.status == 0)
        #expect(downAgain.stdout.contains("walt-net: nothing to remove"))

        #expect(try setup.netConfig("up").status == 0)
        #expect(try setup.linkLine("walt-net").contains("link/ether \(mac.trimmingCharacters(in: .whitespacesAndNewlines))"),
                "the bridge keeps its MAC across down/up")
    }

    @Test func testRawDeviceAndAdminNetwork_downKeepsTheAdminsInterfaces() throws {
        let setup = try Setup(conf: """
            network:
                walt-net:
                    raw-device: wtraw0
                    ip: 192.168.183.1/24
                walt-adm:
                    raw-device: wtadm0
                    ip: 10.10.52.23/27

            """)
        defer { setup.remove() }
        // The admin's own interfaces (a veth pair each, this kernel has no dummy driver).
        try setup.namespace.ip(["link", "add", "wtraw0", "type", "veth", "peer", "name", "wtraw1"])
        try setup.namespace.ip(["link", "add", "wtadm0", "type", "veth", "peer", "name", "wtadm1"])
        let up = try setup.netConfig("up")
        #expect(up.status == 0, "\(up.stderr)")
        #expect(try setup.linkLine("wtraw0").contains("master walt-net"))
        #expect(try setup.addresses("walt-net") == ["192.168.183.1/24"])
        #expect(try setup.linkLine("wtadm0").contains("altname walt-adm"))
        #expect(try setup.addresses("walt-adm") == ["10.10.52.23/27"])
        #expect(try setup.netConfig("down").status == 0)
        let left = try setup.namespace.links()
        #expect(!left.contains("walt-net"))
        #expect(left.contains("wtraw0") && left.contains("wtadm0"), "\(left)")
    }

    @Test func testVLAN_createdOrClearError() throws {
        let setup = try Setup(conf: "network:\n    walt-net:\n        raw-device: wtraw0\n        vlan: 33\n        ip: 192.168.183.1/24\n")
        defer { setup.remove() }
        try setup.namespace.ip(["link", "add", "wtraw0", "type", "veth", "peer", "name", "wtraw1"])
        let probe = try setup.namespace.ip(["link", "add", "link", "wtraw1", "name", "probe.5", "type", "vlan", "id", "5"])
        let up = try setup.netConfig("up")
        if probe.status == 0 {
            #expect(up.status == 0, "\(up.stderr)")
            #expect(try setup.linkLine("wtraw0.33").contains("master walt-net"))
            #expect(try setup.netConfig("down").status == 0)
            #expect(!(try setup.namespace.links().contains("wtraw0.33")))
        } else {
            // This kernel has no 802.1Q support: one clear line, exit 1.
            #expect(up.status == 1)
            #expect(up.stderr == "walt-net-config: cannot create VLAN 33 on wtraw0 (is the 8021q kernel module available?): "
                    + "'ip link add link wtraw0 name wtraw0.33 type vlan id 33': Error: Unknown device type.\n", "\(up.stderr)")
        }
    }

    @Test(arguments: [
        ("network:\n    walt-net:\n        raw-device: null\n", "line 2: 'network.walt-net.ip' is missing"),
        ("network:\n    walt-net:\n        ip: 192.168.183.1/24\n        bridge: yes\n", "line 4: unknown key 'network.walt-net.bridge'"),
        ("network:\n    walt-net:\n        ip: 192.168.183.1\n", "line 3: 'network.walt-net.ip': '192.168.183.1' is not an IPv4 address with its prefix"),
    ])
    func testBadConfig_oneLine_changesNothing(conf: String, problem: String) throws {
        let setup = try Setup(conf: conf)
        defer { setup.remove() }
        let up = try setup.netConfig("up")
        #expect(up.status == 1)
        let path = setup.directory.appendingPathComponent("server.conf").path
        #expect(up.stderr.hasPrefix("walt-net-config: invalid configuration at \(path), \(problem)"), "\(up.stderr)")
        #expect(up.stderr.split(separator: "\n").count == 1)
        #expect(try setup.namespace.links().isEmpty)
    }

    @Test func testIFACE_andMissingRawDevice() throws {
        let setup = try Setup(conf: "network:\n    walt-net:\n        raw-device: nosuch0\n        ip: 192.168.183.1/24\n")
        defer { setup.remove() }
        let unknown = try setup.netConfig("up", environment: ["IFACE": "walt-out"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "walt-net-config: walt-out: interface is not listed in configuration file.\n")
        // Upstream waits 10 s once for the device to appear, then gives up.
        let missing = try setup.netConfig("up", environment: ["IFACE": "walt-net"], timeout: 40)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("Using interface walt-net from environment variable IFACE."))
        #expect(missing.stdout.contains("Interface nosuch0 not found, waiting for it to appear..."))
        #expect(missing.stderr == "walt-net-config: Interface nosuch0 does not exist\n")
        #expect(try setup.namespace.links().isEmpty)
    }

    @Test func testUsage() throws {
        let none = try WaltBinary.run([], personality: "walt-net-config")
        #expect(none.status == 1)
        #expect(none.stderr.contains("missing 1st argument"))
        let wrong = try WaltBinary.run(["sideways"], personality: "walt-net-config")
        #expect(wrong.status == 1)
        let missingConf = try WaltBinary.run(["--config", "/nonexistent/server.conf", "up"], personality: "walt-net-config")
        #expect(missingConf.status == 1)
        #expect(missingConf.stderr == "walt-net-config: missing configuration file at /nonexistent/server.conf\n")
    }
}
