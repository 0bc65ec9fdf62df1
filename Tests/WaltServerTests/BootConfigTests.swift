import Foundation
import Testing
@testable import WaltServer
import WaltCommon

/// The generated dhcpd.conf, DNS zones and NFS exports: upstream's layout, and accepted by
/// the real programs (`dhcpd -t`, `named-checkconf`, `named-checkzone`) when installed.
@Suite struct BootConfigTests {
    static let server = IPv4Network("192.168.183.1/24")!
    static let devices = [
        NetworkDevice(mac: "00:00:00:00:00:01", ip: "192.168.183.1", name: "walt-server", type: "server"),
        NetworkDevice(mac: "52:54:00:00:00:05", ip: "192.168.183.5", name: "rpi-sw", type: "switch"),
        NetworkDevice(mac: "b8:27:eb:12:34:56", ip: "192.168.183.6", name: "rpi3-123456", type: "node",
                      netsetup: 1, model: "rpi-3-b-plus", image: "waltplatform/rpi-default:latest"),
        NetworkDevice(mac: "52:54:00:0a:0b:0c", ip: "192.168.183.7", name: "vpn-node", type: "node",
                      model: "rpi-5-b", image: "alice/img:latest", vpnMAC: "52:54:00:ff:ff:01"),
        NetworkDevice(mac: "52:54:00:0a:0b:0d", ip: "192.168.183.200", name: "printer", type: "unknown"),
    ]

    @Test func freeRangesSkipServerAndDevices() {
        let taken: Set<UInt32> = [IPv4Network.parseAddress("192.168.183.5")!, IPv4Network.parseAddress("192.168.183.6")!,
                                  IPv4Network.parseAddress("192.168.183.254")!]
        let ranges = DHCPDConfigFile.freeRanges(server: Self.server, taken: taken).map {
            "\(IPv4Network.format($0.lowerBound))-\(IPv4Network.format($0.upperBound))"
        }
        #expect(ranges == ["192.168.183.2-192.168.183.4", "192.168.183.7-192.168.183.253"])
    }

    @Test func dhcpdConfGroupsHostsByNetsetup() throws {
        let text = DHCPDConfigFile.render(server: Self.server, devices: Self.devices)
        #expect(text.contains("subnet 192.168.183.0 netmask 255.255.255.0 {"))
        #expect(text.contains("    range 192.168.183.2 192.168.183.4;\n    range 192.168.183.8 192.168.183.199;\n    range 192.168.183.201 192.168.183.254;\n"))
        #expect(text.contains("option broadcast-address 192.168.183.255;"))
        #expect(!text.contains("host walt-server"), "the server has no host entry")
        let nat = try #require(text.range(of: "option routers 192.168.183.1;"))
        let lan = try #require(text.range(of: "# devices with netsetup = \"LAN\""))
        func position(_ needle: String) throws -> String.Index { try #require(text.range(of: needle)).lowerBound }
        // NAT: the netsetup=NAT node and the VPN boot entry; LAN: the rest.
        #expect(try position("host rpi3-123456 {") > nat.lowerBound && position("host rpi3-123456 {") < lan.lowerBound)
        #expect(try position("host vpn-node-vpnboot {") < lan.lowerBound)
        #expect(try position("host vpn-node-vpn {") > lan.lowerBound)
        #expect(try position("host rpi-sw {") > lan.lowerBound)
        #expect(text.contains("""
                host vpn-node-vpn {
                    hardware ethernet 52:54:00:ff:ff:01;
                    fixed-address 192.168.183.7;
                    option host-name "vpn-node";
                    set dev_type = "node";
                }
            """))
        // dhcpd's binary-to-ascii does not pad: the filter must not either.
        #expect(text.contains("substring(hardware, 1, 3)) = \"e4:5f:1\")"))
        #expect(text.contains("execute(\"walt-dhcp-event\", \"commit\", vci, uci, ip_string,"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/dhcpd")))
    func dhcpdAcceptsTheConf() throws {
        let directory = try Scratch()
        let path = directory.path("dhcpd.conf")
        try DHCPDConfigFile.render(server: IPv4Network("10.20.0.1/22")!, devices: Self.devices.map {
            var device = $0
            device.ip = device.ip.replacingOccurrences(of: "192.168.183.", with: "10.20.1.")
            return device
        }).write(toFile: path, atomically: true, encoding: .utf8)
        let check = try run("/usr/sbin/dhcpd", ["-t", "-4", "-cf", path])
        #expect(check.status == 0, "dhcpd -t: \(check.output)")
    }

    @Test func namedZonesAsUpstream() throws {
        let files = NamedFiles.render(serverIP: "192.168.183.1", devices: Self.devices, forwarders: ["10.0.0.53"],
                                      directory: "/var/lib/walt/services/named", pidFile: "/run/walt/named/named.pid",
                                      serial: 1_700_000_000)
        let forward = try #require(files.zones["walt.forward.zone"])
        #expect(forward.contains("server                       IN A     192.168.183.1\n"))
        #expect(forward.contains("rpi3-123456                  IN A     192.168.183.6\n"))
        #expect(forward.contains("walt-server                  IN CNAME server\n"))
        let reverse = try #require(files.zones["walt.183.168.192.in-addr.arpa.reverse.zone"])
        #expect(reverse.contains("200 IN PTR printer.walt.\n"))
        #expect(reverse.contains("6   IN PTR rpi3-123456.walt.\n"))
        #expect(files.conf.contains("forwarders {\n        10.0.0.53;\n    };"))
        #expect(files.conf.contains("file \"/var/lib/walt/services/named/walt.183.168.192.in-addr.arpa.reverse.zone\";"))
        let later = NamedFiles.render(serverIP: "192.168.183.1", devices: Self.devices, forwarders: ["10.0.0.53"],
                                      directory: "/d", pidFile: "/p", serial: 1_700_000_999)
        #expect(later.zones["walt.forward.zone"] != forward)
        #expect(NamedFiles.sameIgnoringSerial(later.zones["walt.forward.zone"]!, forward))
    }

    @Test func reverseZonesPerSlash24() {
        let devices = [NetworkDevice(mac: "a", ip: "10.20.0.1", name: "s", type: "server"),
                       NetworkDevice(mac: "b", ip: "10.20.3.9", name: "n", type: "node")]
        let files = NamedFiles.render(serverIP: "10.20.0.1", devices: devices, forwarders: ["10.20.0.1"],
                                      directory: "/d", pidFile: "/p", serial: 1)
        #expect(Set(files.zones.keys) == ["walt.forward.zone", "walt.0.20.10.in-addr.arpa.reverse.zone",
                                          "walt.3.20.10.in-addr.arpa.reverse.zone"])
    }

    @Test func forwardersFromResolvConf() {
        #expect(NamedFiles.forwarders(resolvConf: "# x\nnameserver 10.1.1.1\nnameserver ::1\nnameserver 10.2.2.2\n",
                                      serverIP: "192.168.183.1") == ["10.1.1.1", "10.2.2.2"])
        #expect(NamedFiles.forwarders(resolvConf: "nameserver 127.0.0.53\n", serverIP: "192.168.183.1") == ["192.168.183.1"])
        #expect(NamedFiles.forwarders(resolvConf: "", serverIP: "192.168.183.1") == ["8.8.8.8"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/named-checkzone")))
    func namedAcceptsTheZones() throws {
        let directory = try Scratch()
        let files = NamedFiles.render(serverIP: "192.168.183.1", devices: Self.devices, forwarders: ["10.0.0.53"],
                                      directory: directory.url.path, pidFile: directory.path("named.pid"), serial: 7)
        for (name, text) in files.zones { try text.write(toFile: directory.path(name), atomically: true, encoding: .utf8) }
        try files.conf.write(toFile: directory.path("named.conf"), atomically: true, encoding: .utf8)
        let forward = try run("/usr/bin/named-checkzone", ["walt", directory.path("walt.forward.zone")])
        #expect(forward.status == 0, "\(forward.output)")
        let reverse = try run("/usr/bin/named-checkzone", ["183.168.192.in-addr.arpa",
                                                           directory.path("walt.183.168.192.in-addr.arpa.reverse.zone")])
        #expect(reverse.status == 0, "\(reverse.output)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/named-checkconf"),
           FileManager.default.fileExists(atPath: "/etc/bind/named.conf.default-zones") {
            let conf = try run("/usr/bin/named-checkconf", ["-z", directory.path("named.conf")])
            #expect(conf.status == 0, "\(conf.output)")
        }
    }

    @Test func exportsAsUpstream() {
        let empty = NFSExports(nodesDirectory: "/var/lib/walt/nodes", subnet: "192.168.183.0/24", images: [], persistPaths: [])
        #expect(empty.kernelImageExports == "# WALT NFS image exports: this file is automatically generated.\n")
        let exports = NFSExports(nodesDirectory: "/var/lib/walt/nodes", subnet: "192.168.183.0/24",
                                 images: [.init(path: "/var/lib/walt/images/abc/fs", imageID: String(repeating: "f", count: 64))],
                                 persistPaths: ["/var/lib/walt/nodes/m2/persist_dirs/bob", "/var/lib/walt/nodes/m1/persist_dirs/al"])
        #expect(exports.kernelImageExports == """
            # WALT NFS image exports: this file is automatically generated.
            # Access to node symlinks (necessary for NFSv4).
            /var/lib/walt/nodes 192.168.183.0/24(ro,sync,no_root_squash,no_subtree_check)
            # Root filesystem images
            /var/lib/walt/images/abc/fs 192.168.183.0/24(fsid=\(String(repeating: "f", count: 32)),ro,sync,no_root_squash,no_subtree_check)

            """)
        #expect(exports.kernelPersistExports == """
            # WALT NFS persist exports: this file is automatically generated.
            # Persistent node directories
            /var/lib/walt/nodes/m1/persist_dirs/al 192.168.183.0/24(rw,sync,no_root_squash,no_subtree_check)
            /var/lib/walt/nodes/m2/persist_dirs/bob 192.168.183.0/24(rw,sync,no_root_squash,no_subtree_check)

            """)
        let ganesha = exports.ganeshaExports
        #expect(ganesha.components(separatedBy: "EXPORT {").count - 1 == 4)
        #expect(ganesha.contains("Export_Id = 4;\n    Path = \"/var/lib/walt/nodes/m2/persist_dirs/bob\";"))
        #expect(ganesha.contains("CLIENT { Clients = 192.168.183.0/24; Access_Type = RW; }"))
    }
}

/// A temporary directory removed when the test ends.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("walt-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
