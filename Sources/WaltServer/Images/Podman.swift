import WaltCommon
import WaltStore

/// A podman (or skopeo) command that failed; `message` is its last line of output.
struct ImageCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The podman command line, as the daemon runs it: always with the configured store
/// (`--root`, `--runroot`) and `CONTAINERS_CONF`, as an argument vector, on a thread of its
/// own (`runInBackground`) so that waiting for it holds no thread of the daemon's pool.
///
/// WaltServer has no JSON decoder, so output is asked for with Go templates, one record a
/// line behind `recordMark`: podman's warnings share the output and never start with it.
struct Podman: Sendable {
    let settings: ImageSettings
    var executable = "/usr/bin/podman"
    var skopeo = "/usr/bin/skopeo"

    static let recordMark = "walt|"
    /// Separates labels in a record (a control character no label contains).
    static let labelSeparator = "\u{1f}"

    init(settings: ImageSettings) {
        self.settings = settings
        executable = Subprocess.firstExecutable(among: ["/usr/bin/podman", "/usr/local/bin/podman"]) ?? executable
    }

    var environment: [String: String] {
        settings.containersConf.map { ["CONTAINERS_CONF": $0] } ?? [:]
    }

    /// `podman [--root R] [--runroot RR] arguments...`.
    func command(_ arguments: [String]) -> Subprocess {
        Subprocess(executable: executable, arguments: storeOptions + arguments, environment: environment)
    }

    /// `buildah` on the same store (squash keeps the image's configuration with it, where
    /// `podman commit` would record a container's).
    func buildah(_ arguments: [String]) async throws -> String {
        let buildah = Subprocess.firstExecutable(among: ["/usr/bin/buildah", "/usr/local/bin/buildah"]) ?? "/usr/bin/buildah"
        return try await Self.checked(Subprocess(executable: buildah, arguments: storeOptions + arguments, environment: environment),
                                      what: "buildah \(arguments.first ?? "")")
    }

    private var storeOptions: [String] {
        var global: [String] = []
        if let root = settings.podmanRoot { global += ["--root", root] }
        if let runRoot = settings.podmanRunRoot { global += ["--runroot", runRoot] }
        return global
    }

    /// Runs podman; its output when it succeeds, else an error with its last line.
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        try await Self.checked(command(arguments), what: "podman \(arguments.first ?? "")")
    }

    static func checked(_ command: Subprocess, what: String) async throws -> String {
        let outcome = try await command.runInBackground()
        guard outcome.succeeded else {
            let last = outcome.output.split(separator: "\n").last.map(String.init) ?? "exit status \(outcome.exitStatus)"
            throw ImageCommandError(message: "\(what) failed: \(last)")
        }
        return outcome.output
    }

    /// The lines of `output` that are records, without their mark.
    static func records(_ output: String) -> [Substring] {
        output.split(separator: "\n").compactMap { line in
            line.hasPrefix(recordMark) ? line.dropFirst(recordMark.count) : nil
        }
    }

    /// Every tagged image: (podman name, full image id).
    func listImages() async throws -> [(reference: String, id: String)] {
        let output = try await run(["images", "--no-trunc", "--filter", "dangling=false",
                                    "--format", Self.recordMark + "{{.ID}}|{{.Repository}}:{{.Tag}}"])
        return Self.records(output).compactMap { record in
            let fields = record.split(separator: "|", maxSplits: 1)
            guard fields.count == 2, !fields[1].hasPrefix("<none>") else { return nil }
            return (String(fields[1]), Self.bareID(fields[0]))
        }
    }

    /// Metadata of images given by id or name, in one podman run.
    func inspect(_ references: [String]) async throws -> [ImageMetadata] {
        guard !references.isEmpty else { return [] }
        let format = Self.recordMark + "{{.Id}}|{{.Created.Unix}}|{{.Size}}|{{len .RootFS.Layers}}|{{.Digest}}|"
            + "{{range $k, $v := .Labels}}{{$k}}={{$v}}" + Self.labelSeparator + "{{end}}"
        let output = try await run(["image", "inspect", "--format", format] + references)
        return Self.records(output).compactMap(ImageMetadata.init(record:))
    }

    /// `podman image mount`: where podman mounted the image's root filesystem.
    func mount(_ id: String) async throws -> String {
        let output = try await run(["image", "mount", id])
        guard let path = output.split(separator: "\n").last(where: { $0.hasPrefix("/") }) else {
            throw ImageCommandError(message: "podman image mount \(id) printed no path")
        }
        return String(path)
    }

    func unmount(_ id: String) async throws {
        try await run(["image", "unmount", id])
    }

    func tag(_ source: String, _ reference: String) async throws {
        try await run(["tag", source, reference])
    }

    /// Removes one name; the image itself goes with its last name (upstream's `rmi`).
    func untag(_ reference: String) async throws {
        try await run(["rmi", reference])
    }

    /// `podman load`: the first image the archive held, by name or `sha256:` id.
    func load(_ path: String) async throws -> String {
        let output = try await run(["load", "-i", path])
        for line in output.split(separator: "\n") {
            for prefix in ["Loaded image: ", "Loaded image(s): "] where line.hasPrefix(prefix) {
                let loaded = line.dropFirst(prefix.count).split(separator: ",").first.map(String.init) ?? ""
                if !loaded.isEmpty { return loaded }
            }
        }
        throw ImageCommandError(message: "podman load \(path) named no image")
    }

    /// The labels of an archive's image without loading it (skopeo), nil without skopeo.
    func archiveLabels(_ transport: String, _ path: String) async throws -> [String: String]? {
        try await archiveInspect(transport, path)?.labels
    }

    /// The labels and creation time (Unix) of an archive's image (skopeo), nil without skopeo.
    func archiveInspect(_ transport: String, _ path: String) async throws -> (labels: [String: String], created: Int)? {
        guard Subprocess.firstExecutable(among: [skopeo]) != nil else { return nil }
        let format = Self.recordMark + "{{.Created.Unix}}|{{range $k, $v := .Labels}}{{$k}}={{$v}}" + Self.labelSeparator + "{{end}}"
        let command = Subprocess(executable: skopeo, arguments: ["inspect", "--format", format, "\(transport):\(path)"],
                                 environment: environment)
        let output = try await Self.checked(command, what: "skopeo inspect")
        guard let record = Self.records(output).first else { return ([:], 0) }
        let fields = record.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        return (ImageMetadata.parseLabels(fields.count == 2 ? fields[1] : ""), Int(fields[0]) ?? 0)
    }

    /// `sha256:abc…` → `abc…`.
    static func bareID(_ id: Substring) -> String {
        String(id.hasPrefix("sha256:") ? id.dropFirst(7) : id)
    }
}
