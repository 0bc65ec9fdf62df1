/// The text drawing of `walt device tree`, laid out as upstream's Tree draws it: the root's
/// label, then each child on a `├─<port>: <label>` line, its own children indented to the
/// second letter of its label; a device met twice shows as `~> back to <label>`.
struct DeviceTree {
    /// A child's position on its parent: a port number, a port's given name, or unknown.
    enum Position: Comparable {
        case unknown
        case number(Int)
        case name(String)

        var text: String {
            switch self {
            case .unknown: "?"
            case .number(let port): String(port)
            case .name(let name): name
            }
        }
    }

    struct Charset {
        let vertical, branch, horizontal, lastBranch: String
        static let unicode = Charset(vertical: "\u{2502}", branch: "\u{251c}", horizontal: "\u{2500}", lastBranch: "\u{2514}")
        static let ascii = Charset(vertical: "|", branch: "|", horizontal: "-", lastBranch: "|")
    }

    private struct Entry {
        var label: String
        var children: [(position: Position, key: String)] = []
        var pruned: String?
    }

    private var entries: [String: Entry] = [:]
    let charset: Charset

    init(charset: Charset) {
        self.charset = charset
    }

    mutating func add(_ key: String, label: String) {
        entries[key] = Entry(label: label)
    }

    mutating func addChild(of parent: String, at position: Position, _ child: String) {
        entries[parent]?.children.append((position, child))
    }

    /// The subtree below `key` is replaced by one line saying why.
    mutating func prune(_ key: String, _ message: String) {
        entries[key]?.pruned = message
    }

    /// Children sorted as upstream sorts them: unknown positions, then port numbers, then
    /// port names; then by device.
    func children(of key: String) -> [(position: Position, key: String)] {
        (entries[key]?.children ?? []).sorted { ($0.position, $0.key) < ($1.position, $1.key) }
    }

    func drawing(root: String) -> String {
        var seen: Set<String> = []
        return draw(root, position: nil, prefix: "", last: false, root: root, seen: &seen)
    }

    private func draw(_ key: String, position: Position?, prefix: String, last: Bool, root: String,
                      seen: inout Set<String>) -> String {
        guard let entry = entries[key] else { return "" }
        if seen.contains(key) && position == nil { return "" }
        var output: String
        var prefix = prefix
        if key == root && !seen.contains(key) {
            output = entry.label + "\n"
            prefix += " "
        } else {
            var label = seen.contains(key) ? "~> back to \(entry.label)" : entry.label
            let offset: Int
            if let position {
                label = "\(position.text): \(label)"
                offset = position.text.count + 2
            } else {
                label = "?: \(label)"
                offset = 3
            }
            output = prefix + (last ? charset.lastBranch : charset.branch) + charset.horizontal + label + "\n"
            prefix += (last ? " " : charset.vertical) + String(repeating: " ", count: offset + 1)
        }
        if seen.insert(key).inserted {
            if let pruned = entry.pruned {
                output += prefix + charset.lastBranch + charset.horizontal + pruned + "\n"
            } else {
                let children = children(of: key)
                for (index, child) in children.enumerated() {
                    // An unknown position is drawn `?: <label>`, as upstream's None.
                    output += draw(child.key, position: child.position == .unknown ? nil : child.position, prefix: prefix,
                                   last: index == children.count - 1, root: root, seen: &seen)
                }
            }
        }
        return output
    }
}
