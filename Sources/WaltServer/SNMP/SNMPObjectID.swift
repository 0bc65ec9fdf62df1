/// An SNMP object identifier such as 1.3.6.1.2.1.1.5.0 (sysName.0), ordered as agents
/// order them: arc by arc, a prefix before what extends it.
struct SNMPObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The most arcs an OID may have (RFC 2578 §3.5; net-snmp's MAX_OID_LEN).
    static let maximumLength = 128

    let components: [UInt32]

    init(_ components: [UInt32]) {
        self.components = components
    }

    /// Parses dotted decimal ("1.3.6.1.2.1.1.5.0", a leading dot allowed); nil for anything
    /// else, for an arc above 2^32-1, or for an OID BER cannot carry (fewer than two arcs,
    /// a first arc above 2, a second above 39 under 0 or 1, more than 128 arcs).
    init?(_ dotted: String) {
        var text = Substring(dotted)
        if text.first == "." { text = text.dropFirst() }
        var components: [UInt32] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = UInt32(part) else { return nil }
            components.append(value)
        }
        self.init(components)
        guard encodingProblem == nil else { return nil }
    }

    var description: String {
        components.map(String.init).joined(separator: ".")
    }

    static func < (lhs: SNMPObjectID, rhs: SNMPObjectID) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }

    /// True when `other` starts with all of this OID's arcs (an OID is a prefix of itself).
    func isPrefix(of other: SNMPObjectID) -> Bool {
        other.components.starts(with: components)
    }

    func appending(_ arcs: UInt32...) -> SNMPObjectID {
        SNMPObjectID(components + arcs)
    }

    func appending(contentsOf arcs: [UInt32]) -> SNMPObjectID {
        SNMPObjectID(components + arcs)
    }

    /// The arcs after `prefix` (a table row's index), or nil if `prefix` is not a prefix.
    func suffix(after prefix: SNMPObjectID) -> [UInt32]? {
        prefix.isPrefix(of: self) ? Array(components[prefix.components.count...]) : nil
    }

    /// Why BER cannot encode this OID, or nil when it can (X.690 §8.19: the first two
    /// arcs share one sub-identifier, 40 × first + second).
    var encodingProblem: String? {
        guard components.count >= 2 else { return "OID \(self) has fewer than two arcs" }
        guard components.count <= Self.maximumLength else { return "OID has more than \(Self.maximumLength) arcs" }
        guard components[0] <= 2 else { return "OID \(self) starts with an arc above 2" }
        guard components[0] == 2 || components[1] < 40 else { return "OID \(self) has a second arc above 39" }
        return nil
    }
}
