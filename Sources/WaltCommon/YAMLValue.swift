/// The part of YAML that WalT's configuration files use: nested block mappings and lists
/// whose leaves are scalars (kept as text) or empty.
public enum YAMLValue: Equatable, Sendable {
    case scalar(String)
    /// `key:` with nothing after it and nothing nested (YAML's null).
    case null
    case mapping(YAMLMapping)
    case sequence([YAMLValue])

    /// The text of a scalar leaf.
    public var text: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    /// The items, if this is a list.
    public var items: [YAMLValue]? {
        if case .sequence(let items) = self { return items }
        return nil
    }

    /// The mapping, if this is one.
    public var mapping: YAMLMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }
}

/// A mapping that keeps its keys in file order (upstream writes groups in dict order) and
/// the line each entry came from (for error messages).
public struct YAMLMapping: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: YAMLValue
        /// 1-based line in the file; 0 for entries made in memory.
        public var line: Int
    }

    public private(set) var entries: [Entry] = []

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> YAMLValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: key, value: value, line: 0))
            case (nil, nil): break
            }
        }
    }

    /// The entry for `key`, with its line.
    public func entry(_ key: String) -> Entry? {
        entries.first { $0.key == key }
    }

    /// Adds or replaces `key` keeping the line number given (the parser's last-wins rule,
    /// as PyYAML).
    public mutating func set(_ key: String, _ value: YAMLValue, line: Int) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index] = Entry(key: key, value: value, line: line)
        } else {
            entries.append(Entry(key: key, value: value, line: line))
        }
    }

    /// The nested mapping at `key`, created (replacing a scalar or null) if needed, as
    /// upstream's `ensure_group_path`.
    public mutating func ensureGroup(_ key: String) {
        if self[key]?.mapping == nil { self[key] = .mapping(YAMLMapping()) }
    }
}
