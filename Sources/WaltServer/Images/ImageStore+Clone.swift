import WaltCommon

/// `clone_image` (upstream main/images/clone.py and blocking/images/clone.py) for what
/// this server can reach: `walt:<user>/<image>[:tag]` (another user's image here), and,
/// as our extension, local archives `docker-archive:/path` and `oci-archive:/path`.
extension ImageStore {
    enum CloneOutcome: Equatable {
        case failed
        case ok(name: String)
        /// The clone replaced an image nodes boot: they must reboot.
        case okRebootNodes(name: String, image: ImageName)
    }

    static let archiveTransports = ["docker-archive", "oci-archive"]

    func clone(_ requester: any Requester, link: String, force: Bool, imageName: String?,
               apply: () async -> Void) async throws -> CloneOutcome {
        if let imageName, let problem = ImageName.validationError(imageName) {
            try await requester.stderr(problem)
            return .failed
        }
        guard let username = try await requester.username(), !username.isEmpty else { return .failed }
        let transport = link.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let outcome: CloneOutcome
        if Self.archiveTransports.contains(transport) {
            outcome = try await exclusive {
                try await cloneArchive(requester, username: username, transport: transport,
                                       path: String(link.dropFirst(transport.count + 1)), link: link,
                                       force: force, imageName: imageName)
            }
        } else {
            guard let (location, remote) = try await parseLink(requester, link) else { return .failed }
            guard location == "walt" else {
                try await requester.stderr("""
                    Sorry, '\(location):' images cannot be cloned here: this server reaches no image registry
                    (nor a docker daemon). Clone 'walt:<user>/<image>' images of this server, or local
                    archives with 'docker-archive:<path>' or 'oci-archive:<path>'.

                    """)
                return .failed
            }
            let name = try await chosenName(requester, imageName, default: remote.fullname.split(separator: "/")[1])
            outcome = try await exclusive {
                try await cloneLocal(requester, remote: remote, into: ImageName(user: username, name: name),
                                     link: link, force: force, imageName: imageName)
            }
        }
        if outcome != .failed { await apply() }
        return outcome
    }

    /// Upstream `parse_clonable_link`: (location, remote image), or nil after the error.
    func parseLink(_ requester: any Requester, _ link: String) async throws -> (String, ImageName)? {
        let locations = ["docker", "walt"] + registries.map(\.label)
        let parts = link.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, locations.contains(String(parts[0])) {
            let path = parts[1].split(separator: "/", omittingEmptySubsequences: false)
            if path.count == 2, path[1].split(separator: ":", omittingEmptySubsequences: false).count <= 2,
               let image = ImageName(fullname: String(parts[1])) {
                return (String(parts[0]), image)
            }
        }
        try await requester.stderr("""
            Invalid clonable image link. Format must be:
            [\(locations.joined(separator: "|"))]:<user>/<image_name>[:<tag>]
            (tip: walt image search [<keyword>])

            """)
        return nil
    }

    /// The name given, else the remote one made valid (upstream `fix_image_name`).
    func chosenName(_ requester: any Requester, _ given: String?, default remote: Substring) async throws -> String {
        if let given { return given }
        let fixed = ImageName.fixed(String(remote))
        if fixed != remote {
            try await requester.stdout("Image will be recorded as \"\(fixed)\" since original name is not valid in WALT.\n")
        }
        return fixed
    }

    private func cloneLocal(_ requester: any Requester, remote: ImageName, into target: ImageName, link: String,
                            force: Bool, imageName: String?) async throws -> CloneOutcome {
        guard contains(remote), let models = registry.metadata(remote)?.nodeModels else {
            try await requester.stderr("No such remote image. Use walt image search <keyword>.\n")
            return .failed
        }
        if remote == target {
            try await requester.stderr("""
                Invalid clonable image link.
                Images of the form 'walt:\(target.user)/<image_name>' already belong to
                your working set and thus are not clonable.

                """)
            return .failed
        }
        let existing = contains(target)
        if existing {
            guard try await mayOverwrite(requester, target, models: models, link: link, force: force,
                                         imageName: imageName) else { return .failed }
        }
        try await registry.tag(remote, as: target)
        try await register(target)
        return existing ? .okRebootNodes(name: target.name, image: target) : .ok(name: target.name)
    }
}
