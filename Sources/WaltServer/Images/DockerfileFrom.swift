/// Upstream walt-image-build-helper's `replace_implicit_from_lines`: a `FROM rpi-default`
/// without a user part may match images of several users, and podman would silently take
/// the first it finds; the user building meant theirs, so `FROM <user>/rpi-default`.
///
/// As the helper: comment lines go, continuation lines are joined, each line becomes
/// `<COMMAND> <args>` (command in upper case, blanks trimmed), options, `scratch`, names
/// with a `/` and earlier stage names are kept. A FROM line it cannot read leaves the
/// Dockerfile as it was (nil). Unlike the helper's `read`, backslashes inside lines are kept.
enum DockerfileFrom {
    static func qualify(_ text: String, user: String) -> String? {
        var lines: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) where !raw.hasPrefix("#") {
            if raw.hasSuffix("\\") {
                pending += raw.dropLast()
                continue
            }
            lines.append(pending + raw)
            pending = ""
        }
        if !pending.isEmpty { lines.append(pending) }
        if lines.last == "" { lines.removeLast() }   // the final newline
        var stages: Set<String> = []
        var out: [String] = []
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let command = words.first.map { $0.uppercased() } ?? ""
            guard command == "FROM" else {
                let args = words.isEmpty ? "" : line.drop { $0 == " " || $0 == "\t" }.dropFirst(words[0].count)
                out.append(command + " " + String(args).trimmingBlanks)
                continue
            }
            var result = "FROM"
            var state = 0   // 0: image, 1: AS, 2: stage name
            for word in words.dropFirst().map(String.init) {
                switch state {
                case 0:
                    if word.hasPrefix("--") {
                        result += " " + word
                        continue
                    }
                    if word == "scratch" || word.contains("/") || stages.contains(word) {
                        result += " " + word
                    } else {
                        result += " \(user)/\(word)"
                    }
                    state = 1
                case 1:
                    guard word.uppercased() == "AS" else { return nil }
                    result += " " + word
                    state = 2
                default:
                    stages.insert(word)
                    result += " " + word
                }
            }
            out.append(result)
        }
        return out.map { $0 + "\n" }.joined()
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: blank).reversed().drop(while: blank).reversed())
    }
}
