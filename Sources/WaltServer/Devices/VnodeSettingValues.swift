/// The `disks` and `networks` values of virtual nodes (upstream's
/// `walt.common.settings.parse_vnode_disks_value` / `parse_vnode_networks_value`), reduced
/// to what the daemon needs: nil when the value is fine, else upstream's error sentence.
/// The VM side reads the parsed forms; the daemon only validates and stores the text.
enum VnodeSettingValues {
    /// Upstream keeps these in a Python set, so its error lists them in a per-process
    /// order; this is the order of its declaration.
    static let diskTemplates = ["none", "ext4", "fat32", "hybrid-boot-v", "hybrid-boot-p"]

    /// `none`, or `<capacity>[<options>]` items separated by commas, e.g. `8G,1T[template=ext4]`.
    static func disksError(_ value: String) -> String? {
        if value == "none" { return nil }
        let unparsable = "Could not parse disks value '\(value)'."
        guard matchesDisksFormat(SettingValueRules.matchBody(value)) else { return unparsable }
        // As upstream: split on every comma, so a disk's options hold one item at most.
        for disk in value.split(separator: ",", omittingEmptySubsequences: false) {
            var capacity = disk
            if disk.contains("[") {
                let parts = disk.dropLast().split(separator: "[", omittingEmptySubsequences: false)
                // Upstream raises here (its tuple unpacking fails); we answer with the parse error.
                guard parts.count == 2 else { return unparsable }
                capacity = parts[0]
                for option in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                    guard option.count > 9, option.hasPrefix("template=") else {
                        return "'\(option)' is not a valid disk option."
                    }
                    if !diskTemplates.contains(String(option.dropFirst(9))) {
                        return "Disk template must be one of: \(diskTemplates.joined(separator: " "))"
                    }
                }
            }
            // Upstream's int() raises on a capacity like `x]`; we answer with the parse error.
            guard capacity.count >= 2, capacity.dropLast().allSatisfy(SettingValueRules.isDigit) else { return unparsable }
        }
        return nil
    }

    /// `^\d+[GT](\[[^\]]*\])?(,\d+[GT](\[[^\]]*\])?)*$`
    static func matchesDisksFormat(_ text: Substring) -> Bool {
        var rest = text
        while true {
            let digits = rest.prefix(while: SettingValueRules.isDigit)
            rest = rest.dropFirst(digits.count)
            guard !digits.isEmpty, let unit = rest.first, unit == "G" || unit == "T" else { return false }
            rest = rest.dropFirst()
            guard let afterBracket = dropBracketGroup(rest) else { return false }
            rest = afterBracket
            guard let next = rest.first else { return true }
            guard next == "," else { return false }
            rest = rest.dropFirst()
        }
    }

    /// `<name>[<restrictions>]` items separated by commas, `walt-net` among them, e.g.
    /// `walt-net[lat=5ms,bw=100Mbps],external`.
    static func networksError(_ value: String) -> String? {
        guard matchesNetworksFormat(SettingValueRules.matchBody(value)) else {
            return "Could not parse networks value '\(value)'."
        }
        let names = withoutBracketGroups(value).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(value)
        for name in names {
            var offset = name.count
            if name.count < rest.count, rest.dropFirst(name.count).first == "[" {
                let restrictions = rest.split(separator: "[", omittingEmptySubsequences: false)[1]
                    .split(separator: "]", omittingEmptySubsequences: false)[0]
                for restriction in restrictions.split(separator: ",", omittingEmptySubsequences: false)
                where !isRestriction(restriction.lowercased()) {
                    return "'\(restriction)' is not a valid network resource restriction."
                }
                offset = name.count + 1 + restrictions.count + 1
            }
            rest = rest.dropFirst(offset)
            if !rest.isEmpty { rest = rest.dropFirst() }
        }
        if !names.contains("walt-net") {
            return "Mandatory network 'walt-net' is missing from specified networks."
        }
        if Set(names).count < names.count {
            return "Specifying twice the same network name is not allowed."
        }
        return nil
    }

    /// `^[a-z][a-z\-]*(\[[^\]]*\])?(,[a-z][a-z\-]*(\[[^\]]*\])?)*$`
    static func matchesNetworksFormat(_ text: Substring) -> Bool {
        func isLower(_ char: Character) -> Bool { char >= "a" && char <= "z" }
        var rest = text
        while true {
            guard let first = rest.first, isLower(first) else { return false }
            rest = rest.dropFirst().drop { isLower($0) || $0 == "-" }
            guard let afterBracket = dropBracketGroup(rest) else { return false }
            rest = afterBracket
            guard let next = rest.first else { return true }
            guard next == "," else { return false }
            rest = rest.dropFirst()
        }
    }

    /// `lat=<n>ms|us` or `bw=<n>gbps|mbps` (already lower-cased). A final newline, which
    /// upstream's pattern lets through and its int() then chokes on, is refused here.
    static func isRestriction(_ body: String) -> Bool {
        for (prefix, units) in [("lat=", ["ms", "us"]), ("bw=", ["gbps", "mbps"])] where body.hasPrefix(prefix) {
            for unit in units where body.hasSuffix(unit) {
                let number = body.dropFirst(prefix.count).dropLast(unit.count)
                if !number.isEmpty && number.allSatisfy(SettingValueRules.isDigit) { return true }
            }
        }
        return false
    }

    /// An optional `[...]` group (no `]` inside) at the start of `text`: what follows it,
    /// or nil when the group is not closed.
    private static func dropBracketGroup(_ text: Substring) -> Substring? {
        guard text.first == "[" else { return text }
        guard let close = text.firstIndex(of: "]") else { return nil }
        return text[text.index(after: close)...]
    }

    /// `"".join(re.split(r"\[[^\]]*\]", value))`
    private static func withoutBracketGroups(_ value: String) -> String {
        var out = ""
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            out += rest[..<open]
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
