/// The pure rules of `shell_autocomplete` (upstream's autocomplete.py): how a set is
/// completed item by item, how history ranges are proposed, and the final filter that
/// keeps the shell from adding a space after `x/`, `x:` or `x=`.
enum ShellCompletion {
    static let nodeKeywords = ["my-nodes", "all-nodes", "free-nodes"]
    static let deviceKeywords = ["all-devices", "all-switches", "explorable-switches", "my-nodes", "all-nodes", "free-nodes"]
    static let issuerKeywords = ["my-nodes", "all-nodes", "free-nodes", "server"]
    static let rescanKeywords = ["explorable-switches", "server"]

    /// Completes the last item of a comma-separated set; a single match comes twice, bare
    /// and with a comma, so the user may stop or go on.
    static func completeSet(_ items: [String], partial: String) -> [String] {
        let parts = partial.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let last = parts.last ?? ""
        let prefix = parts.dropLast().map { $0 + "," }.joined()
        let possible = items.filter { $0.hasPrefix(last) }.map { prefix + $0 }
        return possible.count == 1 ? [possible[0], possible[0] + ","] : possible
    }

    /// `--history` values: start bounds, or end bounds once a `:` is typed; nothing while a
    /// relative date is being typed.
    static func historyRange(partial: String, checkpoints: [String]) -> [String] {
        if let colon = partial.firstIndex(of: ":") {
            let start = partial[..<colon]
            if partial[partial.index(after: colon)...].hasPrefix("-") { return [] }
            return (["-<relative-time>", ""] + checkpoints).map { "\(start):\($0)" }
        }
        if partial.hasPrefix("-") { return [] }
        return ["full", "none", "-<relative-time>:", ":"] + checkpoints.map { $0 + ":" }
    }

    /// Image names as completions: each name, and `name:latest` for untagged ones.
    static func imageNames(_ names: [String]) -> [String] {
        names + names.filter { !$0.contains(":") }.map { $0 + ":latest" }
    }

    /// Upstream's last step: keep the candidates that extend the partial token, then the
    /// single-match and `:latest` special cases. The result is the space-separated reply.
    static func finish(type: String, partial: String, possible: [String]) -> String {
        var possible = possible.filter { $0.hasPrefix(partial) }
        if possible.count == 1 {
            let item = possible[0]
            if type.hasPrefix("IMAGE_CP_"), partial.hasSuffix(":"), item == partial + "latest:" { return "" }
            if let last = item.last, "/:=".contains(last) {
                if item == partial { return "" }
                // Two fake candidates: bash completes their common prefix without a space.
                possible = [item + "a", item + "b"]
            }
        } else if possible.count == 2, type == "IMAGE" || type == "IMAGE_OR_DEFAULT",
                  possible[1] == possible[0] + ":latest" {
            possible = [possible[0]]
        }
        return possible.joined(separator: " ")
    }
}
