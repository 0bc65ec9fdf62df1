/// How `validate_node_cp` and `validate_image_cp` learn what the remote side of a copy is:
/// one shell script, run on the node (over ssh) or in a throwaway container of the image,
/// prints `ok` then `f`, `d`, `o` (other) or `m` (missing) per path. `ok` first, so output
/// a login banner or a profile adds before it is skipped.
enum FileTypeProbe {
    static func script(_ paths: [String]) -> String {
        let words = paths.map(SessionCommand.quoted).joined(separator: " ")
        return """
            echo ok; for p in \(words); do if [ -f "$p" ]; then echo f; elif [ -d "$p" ]; then echo d; \
            elif [ -e "$p" ]; then echo o; else echo m; fi; done
            """
    }

    /// The type of each of `count` paths (nil: missing); nil when the script did not run.
    static func types(_ output: String, succeeded: Bool, count: Int) -> [String?]? {
        let lines = output.split(separator: "\n").map { String($0).trimmingSpaces }
        guard succeeded, let start = lines.firstIndex(of: "ok"), lines.count >= start + 1 + count else { return nil }
        return lines[(start + 1)...].prefix(count).map { $0 == "m" ? nil : $0 }
    }

    /// `a/b//` → `a/b`, as the copy checks compare paths.
    static func strippingTrailingSlashes(_ path: String) -> String {
        var text = Substring(path)
        while text.last == "/" { text = text.dropLast() }
        return String(text)
    }

    /// Relative paths are from the home directory (/root), as transfers run there.
    static func relativeToHome(_ path: String) -> String {
        path.hasPrefix("/") ? path : "./" + path
    }
}
