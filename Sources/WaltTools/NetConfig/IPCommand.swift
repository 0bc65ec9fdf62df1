#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// iproute2's `ip`, run with an argument vector (never a shell).
struct IPCommand {
    let executable: String

    /// The first `ip` found in the usual system directories.
    static func locate() -> IPCommand? {
        Subprocess.firstExecutable(among: ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]).map(IPCommand.init(executable:))
    }

    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let output: String
        var description: String {
            let detail = output.split(separator: "\n").first.map(String.init) ?? "failed"
            return "'ip \(command.joined(separator: " "))': \(detail)"
        }
    }

    /// Runs `ip <arguments>`; its output, or a failure quoting the command and its error.
    @discardableResult
    func run(_ arguments: [String]) throws(Failure) -> String {
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess(executable: executable, arguments: arguments).run()
        } catch {
            throw Failure(command: arguments, output: error.message)
        }
        guard outcome.succeeded else { throw Failure(command: arguments, output: outcome.output) }
        return outcome.output
    }

    func linkExists(_ name: String) -> Bool {
        (try? run(["link", "show", "dev", name])) != nil
    }

    /// True if `address` (with its prefix, `192.168.183.1/24`) is on `device`.
    func hasAddress(_ address: String, on device: String) -> Bool {
        guard let output = try? run(["-o", "-4", "addr", "show", "dev", device]) else { return false }
        return output.split(separator: " ").contains { $0 == address }
    }

    /// The interface `name` is enslaved to, if any.
    func master(of name: String) -> String? {
        guard let output = try? run(["-o", "link", "show", "dev", name]) else { return nil }
        let words = output.split(separator: " ")
        guard let index = words.firstIndex(of: "master"), index + 1 < words.count else { return nil }
        return String(words[index + 1])
    }
}
