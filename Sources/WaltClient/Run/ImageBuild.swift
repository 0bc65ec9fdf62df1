import WaltCommon

/// The commands that make an image through a build session on the server
/// (`create_image_build_session`, a run, `finalize_image_build_session`): `walt image build`
/// from a git URL or a local directory, and `walt node save` from a node's changes.
///
/// The session may overwrite an image of the user: the server warns, the client confirms.
/// Failures exit 1 with a pointer to the help topic, as upstream's `main()` returns False.
struct ImageBuild {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    /// `walt image build (--from-url URL [--sub-dir PATH] | --from-dir DIR) <image>`.
    func build(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let url = Self.given(invocation, "from-url"), directory = Self.given(invocation, "from-dir")
        let subDirectory = Self.given(invocation, "sub-dir")
        if url == nil && directory == nil {
            context.writeOutput("You must specify 1 of the options --from-url and --from-dir.\n"
                + "See 'walt help show image-build' for more info.\n")
            return 0
        }
        if subDirectory != nil && url == nil {
            context.writeOutput("Option --sub-dir is only supported when combined with --from-url.\n")
            return 0
        }
        var request: [(key: PyValue, value: PyValue)] = [
            ("mode", url == nil ? "dir" : "url"), ("image_name", .str(NodeActions.text(invocation, "image_name"))),
        ]
        if let url {
            request += [("url", .str(url)), ("subdir", .str(Self.strippingSlashes(subDirectory ?? "")))]
        } else if let directory {
            request.append(("src_dir", .str(directory)))
        }
        guard let session = try open(request) else { return 1 }
        let built: Bool
        if url == nil {
            switch try transfer(session) {
            case .succeeded: built = true
            case .failed: built = false
            case .interrupted:
                context.writeOutput("\nAborted.\n")
                return 1
            }
        } else {
            built = try link.call("run_image_build_from_url", [session.id]).isTruthy
        }
        guard built else {
            context.writeOutput("See 'walt help show image-build' for help.\n")
            return 1
        }
        _ = try link.call("finalize_image_build_session", [session.id])
        return 0
    }

    /// `walt node save <node> <image>`.
    func save(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let node = NodeActions.text(invocation, "node_name")
        guard try NodeOwnership(link: link, context: context, terminal: terminal).check(node) else { return 0 }
        guard let session = try open([
            ("mode", "node-diff"), ("node_name", .str(node)), ("image_name", .str(NodeActions.text(invocation, "image_name"))),
        ]) else { return 1 }
        guard try link.call("run_image_build_from_node_diff", [session.id]).isTruthy else {
            context.writeOutput("See 'walt help show node-save' for help.\n")
            return 1
        }
        _ = try link.call("finalize_image_build_session", [session.id])
        return 0
    }

    /// A build session: its id, and the other parameters the server gave (the stream's).
    private struct Session {
        let id: PyValue
        let parameters: [(key: PyValue, value: PyValue)]
    }

    /// Opens the session (nil: the server said why, or the user declined the overwrite).
    private func open(_ request: [(key: PyValue, value: PyValue)]) throws(ClientError) -> Session? {
        let info = try link.call("create_image_build_session", kwargs: request)
        guard let pairs = info.dictPairs else { return nil }
        if info["image_overwrite"]?.isTruthy == true && !terminal.confirm() { return nil }
        let rest = pairs.filter { $0.key != "image_overwrite" && $0.key != "session_id" }
        return Session(id: info["session_id"] ?? .none, parameters: rest)
    }

    /// The `REQ_TAR_FOR_IMAGE_BUILD` stream; `src_dir` is the client's business, not a parameter.
    private func transfer(_ session: Session) throws(ClientError) -> TarTransfer.BuildOutcome {
        let directory = PyValue.dict(session.parameters)["src_dir"]?.stringValue ?? ""
        let parameters = PyValue.dict(session.parameters.filter { $0.key != "src_dir" })
        let transfer = TarTransfer(endpoint: link.streamEndpoint, request: .tarForImageBuild, parameters: parameters,
                                   writeOutput: context.writeOutput)
        return try transfer.sendForBuild(directory: directory, writeError: context.writeError)
    }

    private static func given(_ invocation: Invocation, _ name: String) -> String? {
        invocation.given(name).map(NodeActions.text)
    }

    /// Python's `text.strip("/")`.
    static func strippingSlashes(_ text: String) -> String {
        String(text.drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed())
    }
}
