/// One page of the documentation `walt help show` prints: Markdown, embedded in the binary
/// so that help works without a server, a network or any data file next to the program.
///
/// Topic names are WalT's (messages such as "See `walt help show node-ownership`" point
/// at them); the text is ours.
struct HelpTopic: Sendable {
    let name: String
    let markdown: String

    /// The topic's title: the first non-empty piece of text between newlines and `#`
    /// marks, as `walt help list` and the completion scripts show it.
    var header: String {
        for line in markdown.split(whereSeparator: { $0 == "\n" || $0 == "#" }) {
            let text = String(line).trimmingSpaces
            if !text.isEmpty { return text }
        }
        return ""
    }

    static let defaultName = "help-intro"

    /// Every topic, sorted by name.
    static let all: [HelpTopic] = (gettingStarted + nodes + images + logs + devices).sorted { $0.name < $1.name }

    static func named(_ name: String) -> HelpTopic? {
        all.first { $0.name == name }
    }

    /// `walt help list`: the topics with their titles, names padded to one width.
    static func described() -> [String] {
        let width = all.map(\.name.count).max() ?? 0
        return all.map { $0.name.padded(to: width) + " -- " + $0.header.removingAll("`") }
    }
}

extension String {
    func removingAll(_ character: Character) -> String {
        String(filter { $0 != character })
    }
}
