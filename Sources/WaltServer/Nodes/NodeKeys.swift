import Synchronization
import WaltCommon
import WaltStore

/// The SSH keys that let the server reach its nodes, under the state directory as upstream
/// (`/var/lib/walt/keys`, `/var/lib/walt/ssh`): one ECDSA host key shared by every node
/// (OpenSSH and dropbear forms, injected into images), `known_hosts.nodes` naming it
/// `walt.node`, and the server's own client key that images authorize for root.
///
/// Upstream uses root's `~/.ssh/id_rsa`; ours lives beside the other keys so that a
/// daemon (and a test) never touches the home of the user running it.
public final class NodeKeys: Sendable {
    public let stateDirectory: String
    private let ready = Mutex(false)

    public init(stateDirectory: String) {
        self.stateDirectory = stateDirectory
    }

    public var hostKey: String { stateDirectory + "/keys/ssh_host_ecdsa_key" }
    public var dropbearHostKey: String { stateDirectory + "/keys/dropbear_ecdsa_host_key" }
    public var knownHosts: String { stateDirectory + "/ssh/known_hosts.nodes" }
    public var clientKey: String { stateDirectory + "/ssh/id_rsa" }

    /// Creates what is missing; cheap once done. Throws a one-line reason when a key tool
    /// is missing or fails.
    public func ensure() throws {
        try ready.withLock { done in
            if done { return }
            try FileTree.createDirectories(stateDirectory + "/keys", mode: 0o700)
            try FileTree.createDirectories(stateDirectory + "/ssh", mode: 0o700)
            if !FileTree.exists(hostKey) {
                try Self.run("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", hostKey])
            }
            if !FileTree.exists(dropbearHostKey) {
                try Self.run("dropbearconvert", ["openssh", "dropbear", hostKey, dropbearHostKey])
            }
            if !FileTree.exists(clientKey) {
                try Self.run("ssh-keygen", ["-q", "-t", "rsa", "-N", "", "-C", "walt-server", "-f", clientKey])
            }
            // `<alg> <key> [comment]` becomes `walt.node <alg> <key>`: every node presents
            // this one host key, so one line covers them all (ssh -o HostKeyAlias=walt.node).
            let publicKey = (try TextFile.read(hostKey + ".pub") ?? "").split(separator: " ").prefix(2).joined(separator: " ")
            _ = try FileTree.ensureContent(knownHosts, "walt.node \(publicKey)\n")
            done = true
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        guard let path = Subprocess.firstExecutable(among: ["/usr/bin/" + tool, "/usr/sbin/" + tool, "/bin/" + tool]) else {
            throw NodeKeysError(message: "\(tool) is missing (install openssh-client and dropbear-bin)")
        }
        let outcome = try Subprocess(executable: path, arguments: arguments).run()
        guard outcome.succeeded else {
            throw NodeKeysError(message: "\(tool) failed: \(outcome.output.trimmingSpaces)")
        }
    }
}

struct NodeKeysError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
