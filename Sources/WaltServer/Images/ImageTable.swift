import WaltCommon

/// `walt image show` and the scripting API's image list (upstream images/show.py and
/// tabular.py): rows of image fields, the text tables, and their messages.
enum ImageTable {
    struct Row: Sendable, Equatable {
        var image: ImageName
        var inUse: Bool
        var metadata: ImageMetadata
    }

    /// Upstream's field names (a `:kind` suffix picks a rendering).
    static let fields: Set<String> = ["id", "name", "user", "fullname", "in_use", "created", "compatibility:compact",
                                      "compatibility:tuple", "clonable_link"]
    /// What the scripting API asks for (`api.images`).
    static let apiFields = ["id", "name", "fullname", "in_use", "created", "compatibility:tuple"]

    static func value(_ row: Row, _ field: String) -> PyValue {
        switch field {
        case "id": .str(row.metadata.id)
        case "name": .str(row.image.name)
        case "user": .str(row.image.user)
        case "fullname": .str(row.image.fullname)
        case "in_use": .bool(row.inUse)
        case "created": .str(row.metadata.createdText)
        case "compatibility:compact": .str(row.metadata.nodeModelsDescription)
        case "compatibility:tuple": .tuple((row.metadata.nodeModels ?? []).map(PyValue.str))
        default: .str("walt:" + row.image.user + "/" + row.image.name)
        }
    }

    /// A cell as numpy's `astype(str)` prints it.
    static func cell(_ row: Row, _ field: String) -> String {
        switch value(row, field) {
        case .bool(let flag): flag ? "True" : "False"
        case .str(let text): text
        default: ""
        }
    }

    static let wsIsEmpty = "Your working set is empty."
    static let rerunWithAll = "Re-run with --all to see all OS images on this platform."
    static let tipClone = "Use 'walt image clone <clonable_link>' to clone an image\ninto your working set."
    static let tipSearch = "Use 'walt image search [<keyword>]' to search for images\non remote registries."
    static let noImages = "No OS images found!"

    /// The user's images, other users' images, and the default images.
    static func subsets(_ rows: [Row], username: String) -> (user: [Row], other: [Row], defaults: [Row]) {
        let user = rows.filter { $0.image.user == username }
        let defaults = rows.filter { $0.image.isDefaultImage }
        let other = rows.filter { $0.image.user != username && !$0.image.isDefaultImage }
        return (user, other, defaults)
    }

    /// The text of `walt image show [--all]`.
    static func render(user: [Row], other: [Row], defaults: [Row], showAll: Bool) -> String {
        var text = ""
        var footnotes: [String] = []
        if !showAll && other.count + defaults.count > 0 { footnotes.append(rerunWithAll) }
        if user.isEmpty && !showAll {
            footnotes.insert(wsIsEmpty, at: 0)
        } else if user.count + other.count + defaults.count == 0 {
            footnotes.insert(noImages, at: 0)
        } else {
            if !user.isEmpty {
                text += table("Your working set is made of the following images:", user,
                              ["name", "in_use", "created", "compatibility:compact"])
            }
            if showAll {
                if !other.isEmpty {
                    text += table("Other users of this platform have created the following images:", other,
                                  ["user", "name", "created", "clonable_link"])
                }
                if !defaults.isEmpty {
                    text += table("The following are default OS images:", defaults, ["name", "created", "clonable_link"])
                }
                if other.count + defaults.count > 0 { footnotes.append(tipClone) }
                footnotes.append(tipSearch)
            }
        }
        return text + footnotes.joined(separator: "\n")
    }

    static func table(_ title: String, _ rows: [Row], _ columns: [String]) -> String {
        let content = Columnate.table(header: columns, rows: rows.map { row in columns.map { cell(row, $0) } })
        return Columnate.paragraph(title: title, content: content)
    }
}
