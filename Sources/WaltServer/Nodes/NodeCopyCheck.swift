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
        var booted: (store: ImageStore, image: ImageName)?
        var needsConfirm = false
        for (index, operand) in [src, dst].enumerated() {
            let colon = operand.lastIndex(of: ":")
            if operand == "booted-image" {
                if index == 0 {
                    try await requester.stderr("Keyword 'booted-image' can only be used as destination, not source.\n")
                    return Self.failed
                }
                guard sides.first == .node, let node else { return try await invalid() }
                guard let images = try await imageStore(),
                      let image = try await bootedImage(of: node, images) else { return Self.failed }
                if try await images.warnIfWouldRebootNodes(requester, image) { needsConfirm = true }
                booted = (images, image)
                info.append(("image_name", "booted-image"))
                sides.append(.bootedImage)
                paths.append(paths[0])
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
                paths.append(FileTypeProbe.strippingTrailingSlashes(String(operand[operand.index(after: colon)...])))
            } else {
                sides.append(.client)
                paths.append(FileTypeProbe.strippingTrailingSlashes(operand))
                info.append(("client_operand_index", .int(PyInt(index))))
            }
        }
        guard [[.client, .node], [.node, .client], [.node, .bootedImage]].contains(sides), let node, let ip = node.ip else {
            return try await invalid()
        }
        let (srcPath, dstPath) = (FileTypeProbe.relativeToHome(paths[0]), FileTypeProbe.relativeToHome(paths[1]))
        info.append(("status", needsConfirm ? "NEEDS_CONFIRM" : "OK"))
        let dstParent = PythonPath.dirname(dstPath)
        let remotePaths = sides[0] == .node ? [srcPath] : [dstPath, dstParent]
        guard let remoteTypes = try await nodeFileTypes(ip: ip, remotePaths) else {
            try await requester.stderr("Could not reach this node. Try again later.\n")
            return Self.failed
        }
        let srcType = sides[0] == .node ? remoteTypes[0] : try await clientFileType(srcPath)
        var dstType = sides[1] == .node ? remoteTypes[0] : nil
        var parentType = sides[1] == .node ? remoteTypes[1] : nil
        if let booted {
            // The same path in the image, seen from a throwaway container of it.
            guard srcType != nil else { return try await noSuchFile(srcPath) }
            guard let types = try await ImageCopyCheck(images: booted.store, daemon: daemon, requester: requester)
                .fileTypes(in: booted.image, [dstPath, dstParent]) else {
                try await requester.stderr("Sorry, could not look into image \(booted.image.name).\n")
                return Self.failed
            }
            (dstType, parentType) = (types[0], types[1])
        } else if sides[1] == .client {
            dstType = try await clientFileType(dstPath)
            parentType = dstType == nil ? try await clientFileType(dstParent) : nil
        }
        guard let plan = try await plan(srcPath: srcPath, srcType: srcType, dstPath: dstPath, dstType: dstType,
                                        parentType: parentType, intoBootedImage: booted != nil) else { return Self.failed }
        info += [("valid", true), ("dst_dir", .str(plan.dir)), ("dst_name", .str(plan.name)), ("src_path", .str(srcPath))]
        return .dict(info)
    }

    /// Upstream's `_wf_analyse_file_types`: where the copy lands and under which name
    /// (also for `walt image cp`, whose plans are the same).
    func plan(srcPath: String, srcType: String?, dstPath: String, dstType: String?,
              parentType: String?, intoBootedImage: Bool = false) async throws -> (dir: String, name: String)? {
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
        if intoBootedImage || PythonPath.basename(srcPath) == "." {
            // `walt node cp <node>:<existing_dir> booted-image` merges into the image's copy;
            // `walt node cp . <node>:<existing_dir>` into that directory.
            return (PythonPath.dirname(dstPath), PythonPath.basename(dstPath))
        }
        return (dstPath, PythonPath.basename(srcPath))
    }

    private func imageStore() async throws -> ImageStore? {
        if let images = daemon.images { return images }
        try await requester.stderr("Sorry, images are not available: this daemon runs without a server.conf (development mode).\n")
        return nil
    }

    private func noSuchFile(_ path: String) async throws -> PyValue {
        try await requester.stderr("No such file or directory: \(path)\n")
        return Self.failed
    }

    /// Upstream `validate_cp_entity` for "booted-image": the image the node boots, which
    /// must be the requester's (the copy saves over it).
    private func bootedImage(of node: DeviceInfo, _ images: ImageStore) async throws -> ImageName? {
        guard let fullname = node.image, let image = ImageName(fullname: fullname) else {
            try await requester.stderr("Sorry, \(node.name) has no image.\n")
            return nil
        }
        guard image.user == (try await requester.username()) else {
            try await requester.stderr("Cannot proceed because the booted image does not belong to you.\n")
            return nil
        }
        return image
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
        let script = FileTypeProbe.script(paths)
        var argv = SessionCommand(keys: daemon.nodeKeys).ssh(to: ip, remote: script)
        guard let ssh = Subprocess.firstExecutable(among: ["/usr/bin/ssh", "/bin/ssh", "/usr/local/bin/ssh"]) else { return nil }
        argv.removeFirst()
        let outcome = try await Subprocess(executable: ssh, arguments: ["-o", "BatchMode=yes"] + argv).runInBackground()
        return FileTypeProbe.types(outcome.output, succeeded: outcome.succeeded, count: paths.count)
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
