import WaltCommon

/// `validate_image_cp(src, dst)` (upstream transfer.py `validate_cp` for "image", and
/// images/manager.py `validate_cp_entity`): which operand is the image (`<image>[:tag]:<path>`),
/// whether both paths make sense, and what the tar streams 6 and 7 need. Types of paths in
/// the image come from one throwaway container; on the client, from its
/// `filesystem.get_file_type` callback. Plans are `NodeCopyCheck`'s.
struct ImageCopyCheck {
    let images: ImageStore
    let daemon: DaemonState
    let requester: any Requester

    static let usage = """
        Usage:
        $ walt image cp <local_file_path> <image>:<file_path>
        or
        $ walt image cp <image>:<file_path> <local_file_path>

        Regular files as well as directories are accepted.

        """

    /// An operand: the image part and the path (`rsplit(":", 1)`), nil for a local path.
    static func split(_ operand: String) -> (image: String, path: String)? {
        guard let colon = operand.lastIndex(of: ":") else { return nil }
        return (String(operand[..<colon]), String(operand[operand.index(after: colon)...]))
    }

    func validate(src: String, dst: String) async throws -> PyValue {
        var info: [(key: PyValue, value: PyValue)] = []
        var imageIndex: Int?
        var image: ImageName?
        var needsConfirm = false
        var paths: [String] = []
        for (index, operand) in [src, dst].enumerated() {
            if operand == "booted-image" {
                try await requester.stderr("Keyword 'booted-image' is only available with command 'walt node cp'.\n")
                return NodeCopyCheck.failed
            }
            if let (name, path) = Self.split(operand) {
                guard let found = try await images.exclusive({ try await images.userImage(requester, name) }) else {
                    return NodeCopyCheck.failed
                }
                if index == 1, try await images.warnIfWouldRebootNodes(requester, found) { needsConfirm = true }
                if imageIndex != nil { return try await invalid() }
                imageIndex = index
                image = found
                info.append(("image_name", .str(name)))
                paths.append(FileTypeProbe.strippingTrailingSlashes(path))
            } else {
                paths.append(FileTypeProbe.strippingTrailingSlashes(operand))
                info.append(("client_operand_index", .int(PyInt(index))))
            }
        }
        guard let imageIndex, let image else { return try await invalid() }
        let (srcPath, dstPath) = (FileTypeProbe.relativeToHome(paths[0]), FileTypeProbe.relativeToHome(paths[1]))
        info.append(("status", needsConfirm ? "NEEDS_CONFIRM" : "OK"))
        let dstParent = PythonPath.dirname(dstPath)
        let inImage = imageIndex == 0 ? [srcPath] : [dstPath, dstParent]
        guard let types = try await fileTypes(in: image, inImage) else {
            try await requester.stderr("Sorry, could not look into image \(image.name).\n")
            return NodeCopyCheck.failed
        }
        let client = { (path: String) async throws -> String? in
            try await requester.call("filesystem.get_file_type", [.str(path)]).stringValue
        }
        let srcType = imageIndex == 0 ? types[0] : try await client(srcPath)
        let dstType = imageIndex == 1 ? types[0] : try await client(dstPath)
        let parentType = imageIndex == 1 ? types[1] : (dstType == nil ? try await client(dstParent) : nil)
        let check = NodeCopyCheck(daemon: daemon, requester: requester)
        guard let plan = try await check.plan(srcPath: srcPath, srcType: srcType, dstPath: dstPath, dstType: dstType,
                                              parentType: parentType) else { return NodeCopyCheck.failed }
        info += [("valid", true), ("dst_dir", .str(plan.dir)), ("dst_name", .str(plan.name)), ("src_path", .str(srcPath))]
        return .dict(info)
    }

    private func invalid() async throws -> PyValue {
        try await requester.stderr(Self.usage)
        return NodeCopyCheck.failed
    }

    /// `f`, `d`, `o` (other) or nil (missing) for each path in the image (relative paths
    /// from /root, as transfers see them); nil when the container did not run.
    func fileTypes(in image: ImageName, _ paths: [String]) async throws -> [String?]? {
        let script = FileTypeProbe.script(paths)
        let reference = images.registry.imageID(image) ?? image.podmanReference
        let outcome = try await images.registry.podman.command(
            ImageSessionCommand.throwaway(reference, script: script)).runInBackground()
        return FileTypeProbe.types(outcome.output, succeeded: outcome.succeeded, count: paths.count)
    }
}
