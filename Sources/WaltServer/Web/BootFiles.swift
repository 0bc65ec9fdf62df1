#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `GET /boot/<path>`: files of a node's boot directory, `<nodes>/<ip>/tftp`, the same tree
/// TFTP serves (upstream opens `/var/lib/walt/nodes/<ip>/tftp/<path>`). Upstream checks
/// nothing, so `..` or a symbolic link in an image could reach any file of the server; here
/// the node address must be an IPv4 address, `..` is refused, and the resolved file must
/// lie inside the node's boot directory or its image's root (boot files are often relative
/// links into the image, which walt-net can read over NFS anyway).
struct BootFiles: Sendable {
    let nodesDirectory: String

    /// The real path of the file to serve, or nil. Blocking (realpath): call it off the
    /// event loops.
    func resolve(nodeIP: String, path: String) -> String? {
        guard let address = IPv4Network.parseAddress(nodeIP), IPv4Network.format(address) == nodeIP else { return nil }
        let components = path.split(separator: "/")
        guard !components.isEmpty, !components.contains(".."), !path.contains("\0") else { return nil }
        let nodeDirectory = nodesDirectory + "/" + nodeIP
        guard let bootRoot = Self.realPath(nodeDirectory + "/tftp"),
              let file = Self.realPath(nodeDirectory + "/tftp/" + components.joined(separator: "/")) else { return nil }
        let roots = [bootRoot, Self.realPath(nodeDirectory + "/fs")].compactMap { $0 }.filter { $0 != "/" }
        guard roots.contains(where: { file.hasPrefix($0 + "/") }) else { return nil }
        return file
    }

    func open(nodeIP: String, path: String) -> OpenFile? {
        resolve(nodeIP: nodeIP, path: path).flatMap(OpenFile.openRegular)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
