import Logging
import WaltCommon
import WaltStore

/// The firewall behind `netsetup=NAT` (upstream's `prepare_netsetup`): traffic between
/// walt-net devices passes, traffic leaving walt-net goes through chain WALT, which
/// accepts only the devices set to NAT and drops the rest, and what leaves is masqueraded.
/// The chain is rewritten in one `iptables-restore --noflush` transaction whenever the set
/// of NAT devices changes, so no packet ever sees it half-written.
struct NetSetupFirewall {
    let subnet: String
    let interface: String
    let logger: Logger

    /// The rules outside chain WALT, each as iptables arguments after the action.
    var baseRules: [(table: String, chain: String, spec: [String])] {
        [
            ("filter", "FORWARD", ["--in-interface", interface, "--out-interface", interface, "--jump", "ACCEPT"]),
            ("filter", "FORWARD", ["--source", subnet, "!", "--destination", subnet, "--jump", "WALT"]),
            ("filter", "FORWARD", ["--destination", subnet, "--match", "state", "--state", "RELATED,ESTABLISHED",
                                   "--jump", "ACCEPT"]),
            ("nat", "POSTROUTING", ["--source", subnet, "!", "--destination", subnet, "--match", "addrtype",
                                    "!", "--dst-type", "LOCAL", "--jump", "MASQUERADE"]),
        ]
    }

    /// `iptables-restore --noflush` input that replaces chain WALT's content.
    static func chainText(natIPs: [String]) -> String {
        var lines = ["*filter", ":WALT - [0:0]", "-F WALT"]
        lines += natIPs.sorted().map { "-A WALT --source \($0) --jump ACCEPT" }
        lines += ["-A WALT --jump DROP", "COMMIT", ""]
        return lines.joined(separator: "\n")
    }

    /// At start: our rules once (leftovers of a daemon that died are removed first), an
    /// empty chain, and forwarding on.
    func prepare() async {
        await removeBaseRules()
        _ = await iptables(["--table", "filter", "--new-chain", "WALT"], quiet: true)
        await sync(natIPs: [])
        for rule in baseRules {
            _ = await iptables(["--table", rule.table, "--append", rule.chain] + rule.spec)
        }
        do {
            try TextFile.write("/proc/sys/net/ipv4/ip_forward", "1\n")
        } catch {
            logger.warning("cannot enable IPv4 forwarding (NAT nodes will not reach outside): \(error)")
        }
    }

    func sync(natIPs: [String]) async {
        let input = Self.chainText(natIPs: natIPs)
        let command = "printf '%s' \(SessionCommand.quoted(input)) | iptables-restore --noflush"
        do {
            let outcome = try await Subprocess.shell(command).runInBackground()
            if !outcome.succeeded { logger.warning("iptables-restore: \(outcome.output.trimmingSpaces)") }
        } catch {
            logger.warning("iptables-restore: \(error)")
        }
    }

    /// At shutdown: nothing of ours stays in the kernel.
    func cleanup() async {
        await removeBaseRules()
        _ = await iptables(["--table", "filter", "--flush", "WALT"], quiet: true)
        _ = await iptables(["--table", "filter", "--delete-chain", "WALT"], quiet: true)
    }

    private func removeBaseRules() async {
        for rule in baseRules {
            // A rule may have been added more than once by hand; delete every copy.
            for _ in 0..<8 {
                guard await iptables(["--table", rule.table, "--delete", rule.chain] + rule.spec, quiet: true) else { break }
            }
        }
    }

    @discardableResult
    private func iptables(_ arguments: [String], quiet: Bool = false) async -> Bool {
        guard let binary = Subprocess.firstExecutable(among: ["/usr/sbin/iptables", "/sbin/iptables", "/usr/bin/iptables"]) else {
            if !quiet { logger.warning("iptables is missing: netsetup=NAT cannot work") }
            return false
        }
        do {
            let outcome = try await Subprocess(executable: binary, arguments: ["--wait"] + arguments).runInBackground()
            if !outcome.succeeded, !quiet { logger.warning("iptables \(arguments.joined(separator: " ")): \(outcome.output.trimmingSpaces)") }
            return outcome.succeeded
        } catch {
            if !quiet { logger.warning("iptables: \(error)") }
            return false
        }
    }
}
