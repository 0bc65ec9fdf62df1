import WaltCommon

/// Tree edits that `WaltConfig` needs, with upstream's rules (`ensure_group_path`,
/// `cleanup_empty_groups`, password decoding).
extension YAMLMapping {
    /// Sets (or with nil removes) the leaf at `path`, creating the groups on the way.
    mutating func setLeaf(_ path: [String], _ value: YAMLValue?) {
        guard let key = path.first else { return }
        if path.count == 1 {
            self[key] = value
            return
        }
        if value == nil, self[key]?.mapping == nil { return }
        ensureGroup(key)
        var group = self[key]?.mapping ?? YAMLMapping()
        group.setLeaf(Array(path.dropFirst()), value)
        self[key] = .mapping(group)
    }

    /// Drops empty groups below the top level, children first (so a group left empty by
    /// its children goes too).
    mutating func removeEmptyNestedGroups(depth: Int) {
        for entry in entries {
            guard var group = entry.value.mapping else { continue }
            group.removeEmptyNestedGroups(depth: depth + 1)
            if group.isEmpty && depth >= 1 {
                self[entry.key] = nil
            } else {
                set(entry.key, .mapping(group), line: entry.line)
            }
        }
    }

    /// Decodes every `password` leaf in place (upstream encodes them all on save).
    mutating func decodePasswords() throws(ConfigError) {
        for entry in entries {
            switch entry.value {
            case .mapping(var group):
                try group.decodePasswords()
                set(entry.key, .mapping(group), line: entry.line)
            case .scalar(let coded) where entry.key == "password":
                guard let password = PasswordCoding.decode(coded) else {
                    throw ConfigError(line: entry.line, "this password is not encoded the way walt writes it")
                }
                set(entry.key, .scalar(password), line: entry.line)
            default:
                continue
            }
        }
    }
}
