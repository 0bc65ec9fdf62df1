import WaltCommon

/// The text upstream's `ConfigFileSaver.printed()` produces: a top comment, then every
/// group and leaf in order, four spaces per level, with the fixed comments of known
/// paths; passwords encoded with `PasswordCoding`.
enum ConfigFileLayout {
    static let topComment = """
        WalT configuration file
        ***********************
        This file was automatically generated.
        You are allowed to edit the configuration values if needed.
        However, instead of changing a value, you should consider removing the
        related line instead. This would cause the walt client to prompt for this value
        again, your new entry would pass an appropriate validity check, and this file
        would be generated again accordingly.
        """

    static func render(_ tree: YAMLMapping) -> String {
        var lines = [""]
        lines += commented(topComment, indent: 0)
        lines.append("")
        append(tree, path: [], to: &lines)
        return lines.joined(separator: "\n") + "\n\n"
    }

    private static func append(_ mapping: YAMLMapping, path: [String], to lines: inout [String]) {
        for entry in mapping.entries {
            let itemPath = path + [entry.key]
            let indent = String(repeating: " ", count: path.count * 4)
            var comment = comment(for: itemPath)
            if case .mapping(let group) = entry.value {
                if var text = comment {
                    if path.isEmpty {
                        lines.append("")
                        text += "\n" + String(repeating: "-", count: text.count)
                    }
                    lines += commented(text, indent: path.count * 4)
                }
                lines.append(indent + entry.key + ":")
                append(group, path: itemPath, to: &lines)
                continue
            }
            var value = "null"
            if case .scalar(var text) = entry.value {
                if entry.key == "password" {
                    let note = "(password value is encoded.)"
                    comment = comment.map { $0 + " " + note } ?? note
                    text = PasswordCoding.encode(text)
                }
                value = YAMLScalarStyle.render(text)
            }
            if let comment { lines += commented(comment, indent: path.count * 4) }
            lines.append(indent + YAMLScalarStyle.render(entry.key) + ": " + value)
        }
    }

    /// Upstream's fixed comments (`ConfigFileSaver.get_comment`).
    static func comment(for path: [String]) -> String? {
        switch path {
        case ["walt"]: return "WalT platform"
        case ["walt", "server"]: return "IP or hostname of WalT server"
        case ["walt", "username"]: return "WalT user name used to identify your work"
        case ["registries"]: return "Credentials for container registries"
        case ["registries", "hub"]: return "Docker Hub credentials"
        default:
            return path.count == 2 && path[0] == "registries" ? "Credentials for registry \"\(path[1])\"" : nil
        }
    }

    private static func commented(_ text: String, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { pad + "# " + $0 }
    }
}
