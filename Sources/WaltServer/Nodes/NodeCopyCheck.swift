import WaltCommon
import WaltStore

/// `validate_node_cp(src, dst)` (upstream's `transfer.py`): which operand is the node,
/// whether both paths make sense, and what the tar streams 8 and 9 need (`src_path`,
/// `dst_dir`, `dst_name`, the node's IP). Types of paths on the client come from its
/// `filesystem.get_file_type` callback; on the node, from one ssh round trip.
struct NodeCopyCheck {
    let daemon: DaemonState
    let requester: any Requester

    static let failed: PyValue = .strDict(["status": "FAILED"])
    static let usage = """
        Usage:
        $ walt node cp <local_file_path> <node>:<file_path>
        or
        $ walt node cp <node>:<file_path> <local_file_path>
        or
        $ walt node cp <node>:<file_path> booted-image

        Regular files as well as directories are accepted.
        The 3rd form (with keyword 'booted-image') allows to transfer files directly from the selected node
        to the image it has booted. It is a shortcut to using 'walt node cp' and 'walt image cp' in sequence.


        """

    private enum Side { case client, node, bootedImage }

    func validate(src: String, dst: String) async throws -> PyValue {
        var info: [(key: PyValue, value: PyValue)] = []
        var sides: [Side] = []
        var paths: [String] = []
        var node: DeviceInfo?
        for (index, operand) in [src, dst].enumerated() {
            let colon = operand.lastIndex(of: ":")
            if operand == "booted-image" {
                if index == 0 {
                    try await requester.stderr("Keyword 'booted-image' can only be used as destination, not source.\n")
                    return Self.failed
                }
                guard sides.first == .node else { return try await invalid() }
                try await requester.stderr("Copying to the booted image needs the image store, which this server does not have yet.\n")
                return Self.failed
            } else if let colon {
                let name = String(operand[..<colon])
                guard let found = try await DeviceSets(daemon: daemon, requester: requester).node(named: name) else {
                    return Self.failed
                }
                node = found
                info += [("node_name", .str(found.name)), ("node_ip", found.ip.map(PyValue.str) ?? .none),
                         ("node_image", found.image.map(PyValue.str) ?? .none),
                         ("node_ownership", .str(try await ownership(of: found)))]
                sides.append(.node)
                paths.append(Self.strippingTrailingSlashes(String(operand[operand.index(after: colon)...])))
            } else {
                sides.append(.client)
                paths.append(Self.strippingTrailingSlashes(operand))
                info.append(("client_operand_index", .int(PyInt(index))))
            }
        }
        guard sides == [.client, .node] || sides == [.node, .client], let node, let ip = node.ip else {
            return try await invalid()
        }
        let (srcPath, dstPath) = (Self.relativeToHome(paths[0]), Self.relativeToHome(paths[1]))
        info.append(("status", "OK"))
        let dstParent = PythonPath.dirname(dstPath)
        let remotePaths = sides[0] == .node ? [srcPath] : [dstPath, dstParent]
        guard let remoteTypes = try await nodeFileTypes(ip: ip, remotePaths) else {
            try await requester.stderr("Could not reach this node. Try again later.\n")
            return Self.failed
        }
        let srcType = sides[0] == .node ? remoteTypes[0] : try await clientFileType(srcPath)
        let dstType = sides[1] == .node ? remoteTypes[0] : try await clientFileType(dstPath)
        let parentType = sides[1] == .node ? remoteTypes[1] : (dstType == nil ? try await clientFileType(dstParent) : nil)
        guard let plan = try await plan(srcPath: srcPath, srcType: srcType, dstPath: dstPath, dstType: dstType,
                                        parentType: parentType) else { return Self.failed }
        info += [("valid", true), ("dst_dir", .str(plan.dir)), ("dst_name", .str(plan.name)), ("src_path", .str(srcPath))]
        return .dict(info)
    }

    /// Upstream's `_wf_analyse_file_types`: where the copy lands and under which name
    /// (also for `walt image cp`, whose plans are the same).
    func plan(srcPath: String, srcType: String?, dstPath: String, dstType: String?,
                      parentType: String?) async throws -> (dir: String, name: String)? {
        var dstType = dstType
        var target: (dir: String, name: String)?
        if dstType == nil, parentType == "d" {
            // `walt node cp <path> <node>:<existing_dir>/<new_entry>`
            dstType = "d"
            target = (PythonPath.dirname(dstPath), PythonPath.basename(dstPath))
        }
        for (type, path) in [(srcType, srcPath), (dstType, dstPath)] where type == nil {
            try await requester.stderr("No such file or directory: \(path)\n")
            return nil
        }
        if dstType == "f" {
            if srcType == "d" {
                try await requester.stderr("Invalid request. Overwriting regular file \(dstPath) with directory \(srcPath) is not allowed.\n")
                return nil
            }
            return (PythonPath.dirname(dstPath), PythonPath.basename(dstPath))
        }
        if let target { return target }
        if PythonPath.basename(srcPath) == "." {
            // `walt node cp . <node>:<existing_dir>`: merged into it.
            return (PythonPath.dirname(dstPath), PythonPath.basename(dstPath))
        }
        return (dstPath, PythonPath.basename(srcPath))
    }

    private func invalid() async throws -> PyValue {
        try await requester.stderr(Self.usage)
        return Self.failed
    }

    private func ownership(of node: DeviceInfo) async throws -> String {
        guard let username = try await requester.username(), !username.isEmpty, let image = node.image else { return "error" }
        if image.hasPrefix(username + "/") { return "owned" }
        if image.hasPrefix("waltplatform/") { return "free" }
        return "not_owned"
    }

    private func clientFileType(_ path: String) async throws -> String? {
        try await requester.call("filesystem.get_file_type", [.str(path)]).stringValue
    }

    /// `f`, `d`, `o` (other) or nil (missing) for each path on the node; nil when the node
    /// does not answer.
    private func nodeFileTypes(ip: String, _ paths: [String]) async throws -> [String?]? {
        try daemon.nodeKeys.ensure()
        let words = paths.map(SessionCommand.quoted).joined(separator: " ")
        let script = """
            echo ok; for p in \(words); do if [ -f "$p" ]; then echo f; elif [ -d "$p" ]; then echo d; \
            elif [ -e "$p" ]; then echo o; else echo m; fi; done
            """
        var argv = SessionCommand(keys: daemon.nodeKeys).ssh(to: ip, remote: script)
        guard let ssh = Subprocess.firstExecutable(among: ["/usr/bin/ssh", "/bin/ssh", "/usr/local/bin/ssh"]) else { return nil }
        argv.removeFirst()
        let outcome = try await Subprocess(executable: ssh, arguments: ["-o", "BatchMode=yes"] + argv).runInBackground()
        let lines = outcome.output.split(separator: "\n").map { String($0).trimmingSpaces }
        guard outcome.succeeded, let start = lines.firstIndex(of: "ok"), lines.count >= start + 1 + paths.count else {
            return nil
        }
        return lines[(start + 1)...].prefix(paths.count).map { $0 == "m" ? nil : $0 }
    }

    private static func strippingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.last == "/" { text = text.dropLast() }
        return String(text)
    }

    private static func relativeToHome(_ path: String) -> String {
        path.hasPrefix("/") ? path : "./" + path
    }
}

/// Python's `os.path.dirname` and `basename` (POSIX), whose corner cases the plans follow.
enum PythonPath {
    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        var head = path[...slash]
        if head.allSatisfy({ $0 == "/" }) { return String(head) }
        while head.last == "/" { head = head.dropLast() }
        return String(head)
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
