#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt-net-config up|down` for one network of server.conf (services.md §4.2–4.3), made
/// idempotent: `up` creates only what is missing and records only what it created, so
/// `down` never removes an interface the admin made; `down` without state is a no-op.
struct NetworkSetup {
    let ip: IPCommand
    let stateDirectory: String
    /// How long `up` waits once for a raw device that is not there yet (upstream: 10 s).
    var deviceWaitSeconds: UInt32 = 10
    let say: (String) -> Void

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func stateFile(_ name: String) -> StateFile { StateFile(path: "\(stateDirectory)/.\(name).state") }

    func up(_ network: ServerConfig.Network) throws -> Void {
        let state = stateFile(network.name)
        var created = try state.lines() ?? []
        func record(_ link: String) throws {
            if !created.contains(link) { created.append(link) }
            try state.write(created)
        }
        var base: String
        if let raw = network.rawDevice {
            if !ip.linkExists(raw) {
                say("Interface \(raw) not found, waiting for it to appear...")
                sleep(deviceWaitSeconds)
                guard ip.linkExists(raw) else { throw Failure(description: "Interface \(raw) does not exist") }
            }
            base = raw
        } else {
            base = network.name + "-dummy"
            if !ip.linkExists(base) {
                try createPlaceholder(base)
                try record(base)
            }
        }
        try ip.run(["link", "set", "up", "dev", base])
        if let vlan = network.vlan {
            let tagged = "\(base).\(vlan)"
            if !ip.linkExists(tagged) {
                do {
                    try ip.run(["link", "add", "link", base, "name", tagged, "type", "vlan", "id", "\(vlan)"])
                } catch {
                    throw Failure(description: "cannot create VLAN \(vlan) on \(base) (is the 8021q kernel module available?): \(error)")
                }
                try record(tagged)
            }
            try ip.run(["link", "set", "up", "dev", tagged])
            base = tagged
        }
        if network.name == ServerIdentityName.waltNet {
            if !ip.linkExists(network.name) {
                try ip.run(["link", "add", network.name, "address", try bridgeMAC(), "type", "bridge"])
                try record(network.name)
            }
            if ip.master(of: base) != network.name {
                try ip.run(["link", "set", "dev", base, "master", network.name])
            }
            try ip.run(["link", "set", "up", "dev", network.name])
            dropTaggedFrames(from: base)
        } else if base != network.name, !ip.linkExists(network.name) {
            try ip.run(["link", "property", "add", "dev", base, "altname", network.name])
        }
        switch network.address {
        case .staticIP(let address)?:
            if !ip.hasAddress(address.description, on: network.name) {
                try ip.run(["addr", "add", address.description, "dev", network.name])
            }
        case .dhcp?:
            try runDHCPClient(network.name)
        case nil:
            break
        }
    }

    /// Removes what `up` recorded, in order (the bridge last), then the state file.
    func down(_ name: String) throws {
        let state = stateFile(name)
        guard let links = try state.lines() else {
            say("\(name): nothing to remove (no \(state.path)).")
            return
        }
        for link in links where ip.linkExists(link) {
            try ip.run(["link", "del", "dev", link])
        }
        state.remove()
    }

    /// A virtual-only network's port: a dummy interface as upstream, or, on kernels
    /// without the dummy driver, one end of a veth pair (both ends up give carrier).
    private func createPlaceholder(_ name: String) throws {
        do {
            try ip.run(["link", "add", name, "type", "dummy"])
        } catch {
            let peer = String(name.dropLast("-dummy".count).prefix(10)) + "-peer"
            try ip.run(["link", "add", name, "type", "veth", "peer", "name", peer])
            try ip.run(["link", "set", "up", "dev", peer])
            say("(no dummy interfaces in this kernel: \(name) is a veth pair with \(peer))")
        }
    }

    /// walt-net's MAC: the saved one, or a new `52:54:00:xx:xx:xx` saved for next time.
    private func bridgeMAC() throws -> String {
        let file = StateFile(path: "\(stateDirectory)/.walt-net.mac")
        if let saved = try file.lines()?.first, let mac = NetworkAddress.normalizedMAC(saved) { return mac }
        var generator = SystemRandomNumberGenerator()
        let bytes = [UInt8.random(in: 0...0x7f, using: &generator), .random(in: 0...255, using: &generator),
                     .random(in: 0...255, using: &generator)]
        let mac = "52:54:00:" + bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
        try file.write([mac])
        return mac
    }

    /// Keeps VLAN-tagged frames away from dhcpd's raw socket on walt-net, as upstream
    /// (only where ebtables is installed; the rule is added once).
    private func dropTaggedFrames(from base: String) {
        guard let ebtables = Subprocess.firstExecutable(among: ["/usr/sbin/ebtables", "/sbin/ebtables"]) else { return }
        let rule = ["-p", "802_1Q", "-i", base, "-o", ServerIdentityName.waltNet, "-j", "DROP"]
        let listed = (try? Subprocess(executable: ebtables, arguments: ["-t", "filter", "-L", "FORWARD"]).run())?.output ?? ""
        if listed.contains("-i \(base) -o \(ServerIdentityName.waltNet)") { return }
        _ = try? Subprocess(executable: ebtables, arguments: ["-t", "filter", "-A", "FORWARD"] + rule).run()
    }

    private func runDHCPClient(_ name: String) throws {
        guard let dhclient = Subprocess.firstExecutable(among: ["/usr/sbin/dhclient", "/sbin/dhclient"]) else {
            throw Failure(description: "\(name) wants an address by DHCP, but dhclient is not installed (apt-get install isc-dhcp-client)")
        }
        let outcome = try Subprocess(executable: dhclient, arguments: [name]).run()
        guard outcome.succeeded else { throw Failure(description: "dhclient \(name) failed: \(outcome.output)") }
    }
}

/// The one network whose name matters to walt-net-config.
enum ServerIdentityName {
    static let waltNet = "walt-net"
}
