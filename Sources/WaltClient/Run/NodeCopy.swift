import WaltCommon

/// `walt node cp` (upstream's `WalTNodeCp.main`): `validate_node_cp(src, dst)` gives the
/// transfer's parameters; a node of another user or a server doubt needs a confirmation;
/// the node must be booted; then either the server copies into the booted image
/// (`node_cp_to_booted_image`) or a tar stream runs: our tar to the node (9), or the
/// node's tar unpacked here (8).
///
/// As upstream, a transfer that fails on a file (printed) still exits 0; Ctrl-C exits 1.
struct NodeCopy {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let source = NodeActions.text(invocation, "src"), destination = NodeActions.text(invocation, "dst")
        let info = try link.call("validate_node_cp", [.str(source), .str(destination)])
        guard case .dict(var pairs) = info else { return 0 }   // None: the server said why
        if info["status"]?.stringValue == "FAILED" { return 1 }
        if info["node_ownership"]?.stringValue == "not_owned" {
            let name = info["node_name"].map(ServerCommands.pythonStr) ?? "None"
            context.writeOutput("Warning: \(name) seems to be used by another user.\n")
            Self.set("status", "NEEDS_CONFIRM", in: &pairs)
        }
        if PyValue.dict(pairs)["status"]?.stringValue == "NEEDS_CONFIRM" {
            guard terminal.confirm() else { return 1 }
            Self.set("status", "OK", in: &pairs)
        }
        let node = info["node_name"]?.stringValue ?? ""
        guard try NodeWait(link: link, context: context).wait(node) else { return 1 }
        let paths: [(key: PyValue, value: PyValue)] = ["src_path", "dst_dir", "dst_name"].map {
            (.str($0), info[$0] ?? .none)
        }
        if destination == "booted-image" {
            _ = try link.call("node_cp_to_booted_image", [.str(node)], kwargs: paths)
            return 0
        }
        let toNode = info["client_operand_index"]?.intValue == PyInt(0)
        let transfer = TarTransfer(endpoint: link.streamEndpoint, request: toNode ? .tarToNode : .tarFromNode,
                                   parameters: Self.streamParameters(pairs), writeOutput: context.writeOutput)
        let outcome = toNode
            ? try transfer.send(sourcePath: info["src_path"]?.stringValue ?? "", name: info["dst_name"]?.stringValue ?? "")
            : try transfer.receive(into: info["dst_dir"]?.stringValue ?? "")
        switch outcome {
        case .completed, .failed: return 0
        case .damaged: return 1
        case .interrupted:
            context.writeOutput("\nAborted.\n")
            return 1
        }
    }

    /// Upstream's `run_file_transfer` parameters: `dst_dir`, `dst_name`, `src_path`, then
    /// the other keys of the validation dict in their order, `client_operand_index` left out.
    static func streamParameters(_ pairs: [(key: PyValue, value: PyValue)]) -> PyValue {
        let first = ["dst_dir", "dst_name", "src_path"]
        let lookup = PyValue.dict(pairs)
        let leading = first.map { (key: PyValue.str($0), value: lookup[$0] ?? .none) }
        let rest = pairs.filter { pair in
            guard let key = pair.key.stringValue else { return true }
            return !first.contains(key) && key != "client_operand_index"
        }
        return .dict(leading + rest)
    }

    private static func set(_ key: String, _ value: String, in pairs: inout [(key: PyValue, value: PyValue)]) {
        if let index = pairs.firstIndex(where: { $0.key == .str(key) }) {
            pairs[index].value = .str(value)
        } else {
            pairs.append((.str(key), .str(value)))
        }
    }
}
