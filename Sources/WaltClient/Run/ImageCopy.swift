import WaltCommon

/// `walt image cp` (upstream's `WalTImageCp.main`): `validate_image_cp(src, dst)` gives the
/// transfer's parameters; a server doubt needs a confirmation; then a "file transfer"
/// session opens a container on the image and a tar stream runs: ours into the image (7),
/// or the image's unpacked here (6). Files sent into the image are saved at once under the
/// image's own name (`image_shell_session_save(..., True)`), which reboots the nodes using it.
///
/// As upstream, every ending exits 0 (even a confirmation declined or a failed transfer,
/// which is printed), except an archive from the server that does not unpack.
struct ImageCopy {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let source = NodeActions.text(invocation, "src"), destination = NodeActions.text(invocation, "dst")
        let info = try link.call("validate_image_cp", [.str(source), .str(destination)])
        guard case .dict(var pairs) = info else { return 0 }   // None: the server said why
        if info["status"]?.stringValue == "NEEDS_CONFIRM" {
            guard terminal.confirm() else { return 0 }
            Self.set("status", .str("OK"), in: &pairs)
        }
        if PyValue.dict(pairs)["status"]?.stringValue == "FAILED" { return 0 }
        let session = try link.call("create_image_shell_session", [info["image_name"] ?? .none, "file transfer"])
        guard let items = session.sequenceItems, items.count == 4 else { return 0 }
        Self.set("image_fullname", items[1], in: &pairs)
        Self.set("container_name", items[2], in: &pairs)
        let toImage = info["client_operand_index"]?.intValue == PyInt(0)
        let transfer = TarTransfer(endpoint: link.streamEndpoint, request: toImage ? .tarToImage : .tarFromImage,
                                   parameters: NodeCopy.streamParameters(pairs), writeOutput: context.writeOutput)
        let outcome = toImage
            ? try transfer.send(sourcePath: info["src_path"]?.stringValue ?? "", name: info["dst_name"]?.stringValue ?? "")
            : try transfer.receive(into: info["dst_dir"]?.stringValue ?? "")
        switch outcome {
        case .interrupted:
            context.writeOutput("\nAborted.\n")
        case .damaged:
            return 1
        case .completed, .failed:
            // upstream saves whatever the transfer did (its status is not looked at)
            if toImage {
                _ = try link.call("image_shell_session_save", [.str(link.username), items[0], items[3], true])
            }
        }
        return 0
    }

    /// Python's `d[key] = value`: in place when present, appended otherwise.
    private static func set(_ key: String, _ value: PyValue, in pairs: inout [(key: PyValue, value: PyValue)]) {
        if let index = pairs.firstIndex(where: { $0.key == .str(key) }) {
            pairs[index].value = value
        } else {
            pairs.append((.str(key), value))
        }
    }
}
