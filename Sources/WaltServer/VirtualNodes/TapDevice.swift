import WaltCommon

/// A virtual node's network port: a tap device attached to the walt-net bridge, made
/// before QEMU opens it and deleted once QEMU is gone (QEMU runs without its ifup
/// scripts). A tap left by a daemon that died is replaced.
struct TapDevice: Sendable {
    static let bridge = "walt-net"
    let name: String

    /// The `ip` commands, in order (kept apart from running them for the unit tests).
    var creation: [[String]] {
        [["tuntap", "add", "dev", name, "mode", "tap"],
         ["link", "set", "dev", name, "master", Self.bridge],
         ["link", "set", "dev", name, "up"]]
    }

    var removal: [String] { ["link", "del", "dev", name] }

    func create() throws(SubprocessError) {
        if FileTree.exists("/sys/class/net/" + name) { remove() }
        for arguments in creation {
            let outcome = try Self.ip(arguments).run()
            guard outcome.succeeded else {
                remove()
                throw SubprocessError(message: "ip \(arguments.joined(separator: " ")): \(outcome.output.trimmingSpaces)")
            }
        }
    }

    func remove() {
        _ = try? Self.ip(removal).run()
    }

    private static func ip(_ arguments: [String]) -> Subprocess {
        let path = Subprocess.firstExecutable(among: ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]) ?? "/usr/sbin/ip"
        return Subprocess(executable: path, arguments: arguments)
    }
}
