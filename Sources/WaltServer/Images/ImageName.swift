/// WalT's image names (upstream `walt.common.tools` and `images/image.py`): a fullname is
/// `<user>/<repository>:<tag>`; users see `<repository>` alone when the tag is `latest`.
/// podman knows the same image as `docker.io/<fullname>` (`localhost/` for the server's
/// own temporary `walt/...` names), which is what `podmanReference` gives.
struct ImageName: Hashable, Sendable, Comparable {
    /// `user/repository:tag`, the tag always present.
    let fullname: String
    let user: String
    /// What users type and see: `repository`, or `repository:tag` when the tag is not `latest`.
    let name: String

    /// Parses a fullname (upstream `parse_image_fullname`); nil without exactly one `/`.
    init?(fullname text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        user = String(parts[0])
        var name = String(parts[1])
        var fullname = text
        if name.hasSuffix(":latest") {
            name.removeLast(7)
        } else if !name.contains(":") {
            fullname += ":latest"
        }
        self.fullname = fullname
        self.name = name
    }

    /// Upstream `format_image_fullname`: `latest` when the name has no tag. A name with a
    /// `/` (never valid) still makes a value, one that matches no image.
    init(user: String, name: String) {
        let tagged = name.contains(":") ? name : name + ":latest"
        if let parsed = ImageName(fullname: user + "/" + tagged) {
            self = parsed
        } else {
            self.fullname = user + "/" + tagged
            self.user = user
            self.name = name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
        }
    }

    static func < (lhs: ImageName, rhs: ImageName) -> Bool { lhs.fullname < rhs.fullname }

    /// The name podman stores (upstream `add_image_repo`).
    var podmanReference: String {
        (user == "walt" ? "localhost/" : "docker.io/") + fullname
    }

    /// The WalT fullname of a podman name: its registry part dropped, as upstream's names
    /// cache does; nil for names without a user part (`docker.io/library/x` keeps `library`).
    static func fromPodman(_ reference: String) -> ImageName? {
        let parts = reference.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return ImageName(fullname: String(parts[1]))
    }

    /// `waltplatform/<model>-default:latest`, what a node of that model boots by default.
    static func defaultImage(model: String) -> ImageName {
        ImageName(user: "waltplatform", name: model + "-default")
    }

    /// A default image as `walt image show --all` groups them: waltplatform's `*-default`.
    var isDefaultImage: Bool {
        user == "waltplatform" && name.hasSuffix("-default")
    }

    static let reservedMessage = "Sorry 'default' is a reserved keyword.\n"
    static let badNameMessage = """
        Bad name: expected format is <name> or <name>:<tag>.
        Only lowercase letters, digits and dash(-) characters are allowed in <name> and <tag>.

        """

    /// Upstream `validate_image_name`: the error to print, nil for a valid name.
    static func validationError(_ name: String) -> String? {
        if name == "default" { return reservedMessage }
        let colons = name.filter { $0 == ":" }.count
        let rest = name.filter { $0 != ":" }
        let valid = colons <= 1 && !rest.isEmpty
            && rest.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        return valid ? nil : badNameMessage
    }

    /// Upstream `fix_image_name` (clone): runs of other characters become `-`.
    static func fixed(_ name: String) -> String {
        DashRuns.replacing(name.lowercased()) { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == ":" }
    }
}
