#if canImport(Glibc)
import Glibc
#endif

/// The server's own device (`walt-server`, type `server`): the MAC and IPv4 address of
/// its walt-net interface, as upstream's `fix_server_device_entry` records them at start.
///
/// Without a walt-net interface (a development machine, the tests) the MAC is the first
/// Ethernet interface's, so it stays the same across restarts, and the address is the one
/// the daemon binds to, if it binds to one.
public struct ServerIdentity: Sendable, Equatable {
    public static let deviceName = "walt-server"
    public static let interface = "walt-net"

    public var mac: String
    public var ip: String?

    public init(mac: String, ip: String?) {
        self.mac = mac
        self.ip = ip
    }

    public static func detect(bindHost: String) -> ServerIdentity {
        let bound = bindHost.isEmpty || bindHost == "0.0.0.0" ? nil : bindHost
        if let mac = interfaceMAC(interface) {
            return ServerIdentity(mac: mac, ip: interfaceIPv4(interface) ?? bound)
        }
        for name in ["eth0", "ens3", "enp0s3", "eno1"] {
            if let mac = interfaceMAC(name) { return ServerIdentity(mac: mac, ip: bound) }
        }
        return ServerIdentity(mac: "00:00:00:00:00:00", ip: bound)
    }

    static func interfaceMAC(_ name: String) -> String? {
        guard let file = fopen("/sys/class/net/\(name)/address", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).filter { !$0.isWhitespace }
        return text.count == 17 && text != "00:00:00:00:00:00" ? text : nil
    }

    static func interfaceIPv4(_ name: String) -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  String(cString: entry.pointee.ifa_name) == name else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let ok = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var addr = sin.pointee.sin_addr
                return inet_ntop(AF_INET, &addr, &text, socklen_t(text.count)) != nil
            }
            if ok { return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        }
        return nil
    }
}
