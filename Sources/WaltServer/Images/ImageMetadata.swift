/// What the daemon knows of one podman image (upstream `deep_inspect`): its labels, the
/// node models of `walt.node.models`, when it was made, its size and layer count.
struct ImageMetadata: Sendable, Equatable {
    /// The full image id (64 hex digits), which names its mount point.
    var id: String
    var labels: [String: String]
    /// Unix time of creation.
    var created: Int
    var sizeKiB: Int
    var layers: Int
    var digest: String

    /// Upstream refuses new layers past 128 (`walt image squash` then).
    static let maxLayers = 128

    /// nil for an image without `walt.node.models`: not a WalT image.
    var nodeModels: [String]? {
        labels["walt.node.models"].map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The compatibility column: the models globbed, `N/A` for non-WalT images.
    var nodeModelsDescription: String {
        nodeModels.map(NodeModelsGlob.format) ?? "N/A"
    }

    var editable: Bool { layers < Self.maxLayers }

    /// Upstream's `created_at`: local time to the second, as Python's `str(datetime)`.
    var createdText: String {
        LocalTime.dateTime(Double(created)).map(LocalTime.text) ?? ""
    }

    /// One `Podman.inspect` record: `id|created|size|layers|digest|k=v<US>k=v<US>`.
    init?(record: Substring) {
        let fields = record.split(separator: "|", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, let created = Int(fields[1]), let size = Int(fields[2]),
              let layers = Int(fields[3]) else { return nil }
        id = Podman.bareID(fields[0])
        self.created = created
        sizeKiB = size / 1024
        self.layers = layers
        digest = String(fields[4])
        labels = Self.parseLabels(fields[5])
    }

    init(id: String, labels: [String: String], created: Int, sizeKiB: Int = 0, layers: Int = 1, digest: String = "") {
        self.id = id
        self.labels = labels
        self.created = created
        self.sizeKiB = sizeKiB
        self.layers = layers
        self.digest = digest
    }

    /// `key=value` items separated by `Podman.labelSeparator`; a value may hold `=`.
    static func parseLabels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        for item in text.split(separator: Character(Podman.labelSeparator)) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { continue }
            labels[String(parts[0])] = String(parts[1])
        }
        return labels
    }
}
