#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// Builds an image from a Dockerfile (upstream walt-image-build-helper): the build
/// directory comes from the client's tar (`walt image build --from-dir`) or a git clone
/// (`--from-url`); `FROM` lines get the user part they lack, `podman build --format docker`
/// makes the image, and it must carry `walt.node.models` (upstream walt-image-check).
///
/// Messages and the exit code are the helper's; its output goes to `output` as
/// ("stdout"|"stderr", bytes), which the stream pickles and the URL mode writes to the
/// client's terminal. podman's own output comes once its step is over, not line by line.
struct ImageBuilder {
    let images: ImageStore
    let username: String
    let target: ImageName
    let output: (String, String) async throws -> Void

    enum Source {
        /// A tar file of the client's directory.
        case tar(String)
        case url(String, subdirectory: String)
        /// `walt node save`: `FROM base` plus the node's changes, which `dump` writes as a
        /// tar at the path it gets, returning false (after saying why) if it could not.
        case nodeDiff(base: ImageName, dump: (String) async throws -> Bool)
    }

    /// The build's exit code (0: the image exists and is a WalT image).
    func build(from source: Source, workDirectory: String) async throws -> Int32 {
        let status = try await steps(source, workDirectory)
        if status != 0 { try await output("stderr", "Sorry, image build FAILED.\n") }
        return status
    }

    private func steps(_ source: Source, _ work: String) async throws -> Int32 {
        var directory = work + "/build"
        let word: String
        var precision = ""
        switch source {
        case .tar(let file):
            try await output("stdout", "** Receiving the client directory content\n")
            try FileTree.createDirectories(directory)
            guard try await step(Subprocess(executable: "/bin/tar", arguments: ["-x", "-f", file, "-C", directory])) else { return 2 }
            word = "directory"
        case .nodeDiff(let base, let dump):
            // Upstream's helper: the analysis, then a silent build of a two-line Dockerfile.
            try await output("stdout", "** Analysing changes made on this node\n")
            try FileTree.createDirectories(directory)
            guard try await dump(directory + "/ar.tar") else { return 1 }
            let add = FileTree.exists(directory + "/ar.tar") ? "ADD ar.tar /\n" : ""
            _ = try FileTree.ensureContent(directory + "/Dockerfile", "FROM \(base.podmanReference)\n" + add)
            return try await buildAndVerify(directory, silent: true)
        case .url(let url, let subdirectory):
            try await output("stdout", "** Cloning the git repository at \(url)\n")
            guard let git = Subprocess.firstExecutable(among: ["/usr/bin/git", "/usr/local/bin/git"]) else {
                try await output("stderr", "git is not installed on this server.\n")
                return 1
            }
            guard try await step(Subprocess(executable: git, arguments: ["clone", "--depth", "1", "--single-branch", url, directory],
                                            environment: ["GIT_TERMINAL_PROMPT": "0"])) else { return 128 }
            word = "repository"
            if !subdirectory.isEmpty {
                directory += "/" + subdirectory
                guard FileTree.kind(directory) == .directory else {
                    try await output("stderr", "No such directory \"\(subdirectory)\".\n")
                    return 1
                }
                precision = " in sub-directory '\(subdirectory)'"
            }
        }
        try await output("stdout", "** Verifying the repository\n")
        let dockerfile = directory + "/Dockerfile"
        if FileTree.kind(dockerfile) != .other {
            guard FileTree.kind(directory + "/ContainerFile") == .other else {
                try await output("stdout", "FAILED: the specified \(word) does not contain a Dockerfile or ContainerFile\(precision).\n")
                return 1
            }
            guard rename(directory + "/ContainerFile", dockerfile) == 0 else { return 1 }
        }
        if let text = try? TextFile.read(dockerfile), let fixed = DockerfileFrom.qualify(text, user: username) {
            _ = try FileTree.ensureContent(dockerfile, fixed)
        }
        return try await buildAndVerify(directory, silent: false)
    }

    /// `podman build` in `directory`, then the check of `walt.node.models`. A silent build
    /// shows podman's output only when it fails.
    private func buildAndVerify(_ directory: String, silent: Bool) async throws -> Int32 {
        try await output("stdout", "** Building the image\n")
        var build = images.registry.podman.command(["build", "--format", "docker", "-f", "Dockerfile",
                                                     "-t", target.podmanReference, "."])
        build.workingDirectory = directory
        guard try await step(build, silent: silent) else { return 1 }
        try await output("stdout", "** Verifying the image\n")
        try await images.registry.refresh(target)
        guard let models = images.registry.metadata(target)?.nodeModels, !models.isEmpty else {
            try await output("stderr", "FAILED: The image is missing a 'LABEL walt.node.models=<models>' to indicate compatibility.\n")
            return 1
        }
        try await output("stdout", "OK\n")
        return 0
    }

    /// Runs one program, its output to the client's stdout; false when it failed.
    private func step(_ command: Subprocess, silent: Bool = false) async throws -> Bool {
        let outcome = try await command.runInBackground()
        if !outcome.output.isEmpty, !silent || !outcome.succeeded { try await output("stdout", outcome.output) }
        return outcome.succeeded
    }

    /// A private directory for one build, removed by `removeWorkDirectory`.
    static func makeWorkDirectory() throws -> String {
        var template = Array("/tmp/walt-build.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ImageCommandError(message: "cannot create a build directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    static func removeWorkDirectory(_ path: String) {
        try? FileTree.removeTree(path)
    }
}
