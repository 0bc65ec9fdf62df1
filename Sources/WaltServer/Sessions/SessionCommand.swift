/// The programs behind port-12347 sessions, as argument vectors (never through a local
/// shell): upstream builds the same commands as shell strings (`SSH_NODE_COMMAND`,
/// `transfer.py`, `interactive.py`).
struct SessionCommand {
    let keys: NodeKeys

    /// `ssh` to a node as root with the server's key, checking the node's host key under
    /// the alias every node shares.
    func ssh(to ip: String, terminal: Bool = false, remote: String? = nil) -> [String] {
        var argv = [
            "ssh", "-o", "PreferredAuthentications=publickey",
            "-o", "UserKnownHostsFile=\(keys.knownHosts)",
            "-o", "HostKeyAlias=walt.node",
            "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=5",
            "-o", "IdentitiesOnly=yes", "-i", keys.clientKey,
        ]
        if terminal { argv.append("-t") }
        argv.append("root@" + ip)
        if let remote, !remote.isEmpty { argv.append(remote) }
        return argv
    }

    /// `REQ_NODE_CMD`: the arguments joined with spaces, for the node's shell to split
    /// (so `walt node run n 'ls | wc -l'` runs a pipe there, as upstream).
    func nodeCommand(ip: String, arguments: [String], terminal: Bool) -> [String] {
        ssh(to: ip, terminal: terminal, remote: arguments.joined(separator: " "))
    }

    /// `REQ_DEVICE_PING`: bounded, because a ping whose client left keeps running.
    static func ping(_ ip: String) -> [String] {
        ["ping", "-c", "10", "-w", "11", ip]
    }

    /// `REQ_DEVICE_SHELL`: a device's own ssh server, whose host key we cannot know in advance.
    static func deviceShell(_ ip: String, user: String?) -> [String] {
        ["ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
         user.map { "\($0)@\(ip)" } ?? ip]
    }

    /// `REQ_TAR_TO_NODE`: the client's tar stream unpacked in `directory`.
    func tarToNode(ip: String, directory: String) -> [String] {
        ssh(to: ip, remote: "cd \(Self.quoted(Self.absolute(directory))) && tar x")
    }

    /// `REQ_TAR_FROM_NODE`: a tar stream of `path` whose one top member is named `name`
    /// (upstream's walt-tar-send, inline so that any image with tar can serve it).
    func tarFromNode(ip: String, path: String, name: String) -> [String] {
        ssh(to: ip, remote: Self.tarSendScript(path: path, name: name))
    }

    /// Upstream's walt-tar-send as one shell line, so that any root with a POSIX shell and
    /// tar (busybox's will do) can serve it: a tar stream of `path` whose one top member
    /// is named `name`.
    static func tarSendScript(path: String, name: String) -> String {
        """
        set -e; src=\(quoted(absolute(path))); dst=\(quoted(name)); \
        src=$(realpath "$src" 2>/dev/null || busybox realpath "$src"); \
        base=$(basename "$src"); cd "$(dirname "$src")"; \
        if [ "$base" = "$dst" ]; then tar c "$base"; \
        else tmp=$(mktemp -d); tar c "$base" | (cd "$tmp" && tar x && mv "$base" "$dst" && tar c "$dst"); \
        rm -rf "$tmp"; fi
        """
    }

    /// Paths relative to root's home, as all transfers run as root.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "/root/" + path
    }

    /// A word for a POSIX shell, whatever it contains.
    static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\"'\"'") + "'"
    }
}
