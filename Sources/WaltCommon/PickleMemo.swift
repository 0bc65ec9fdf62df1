/// The unpickler's memo: Python's `dict` of memo keys to objects, stored as an array.
///
/// Pickles written by Python (and by `PickleEncoder`) only use `MEMOIZE`, whose key is the
/// memo's size, so keys come dense from 0 and an array indexed by key holds them. Keys a
/// hand-made pickle puts further out (`BINPUT 200` first) go to a dictionary, so a large
/// key never allocates a large array. Avoiding a `Dictionary<Int, …>` on the common path
/// also spares every `walt` command the runtime's first conformance lookup (Int: Hashable),
/// which scans every conformance record of the binary: measurable in a 2 ms start.
struct PickleMemo {
    typealias Entry = PickleMachine.MemoEntry

    private var dense: [Entry?] = []
    private var sparse: [Int: Entry] = [:]
    /// Distinct keys stored: Python's `len(memo)`, the key `MEMOIZE` uses.
    private(set) var count = 0

    subscript(key: Int) -> Entry? {
        get {
            if key >= 0 && key < dense.count { return dense[key] }
            return sparse.isEmpty ? nil : sparse[key]
        }
        set {
            let existed = self[key] != nil
            if key >= 0 && key < dense.count {
                dense[key] = newValue
            } else if key == dense.count, let newValue, sparse.isEmpty {
                dense.append(newValue)
            } else {
                sparse[key] = newValue
            }
            count += (newValue != nil ? 1 : 0) - (existed ? 1 : 0)
        }
    }
}
