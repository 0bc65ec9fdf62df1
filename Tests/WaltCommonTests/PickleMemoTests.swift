import Testing
@testable import WaltCommon

/// The memo keeps Python's semantics (`MEMOIZE` uses `len(memo)`, `BINPUT` overwrites)
/// with dense keys in an array and far ones in a dictionary.
@Suite struct PickleMemoTests {
    @Test func denseAndSparseKeys_countAsPythonsLen() {
        var memo = PickleMemo()
        memo[0] = .onStack(0)
        memo[1] = .onStack(1)
        memo[4_000_000_000] = .onStack(2)
        #expect(memo.count == 3)
        memo[1] = .onStack(5)
        #expect(memo.count == 3)
        guard case .onStack(5)? = memo[1], case .onStack(2)? = memo[4_000_000_000] else {
            Issue.record("entries not found")
            return
        }
        #expect(memo[2] == nil && memo[-1] == nil && memo[3_999_999_999] == nil)
        // A sparse key stored, the next dense one goes beside it and is still found.
        memo[3] = .onStack(7)
        guard case .onStack(7)? = memo[3] else {
            Issue.record("key 3 not found")
            return
        }
        #expect(memo.count == 4)
    }

    /// Pickles checked against CPython's `pickle.loads`: a far `LONG_BINPUT` key, then
    /// `MEMOIZE` numbering after it; a `BINPUT` overwriting a `MEMOIZE`d slot.
    @Test func farAndOverwrittenKeys_decodeAsCPython() throws {
        let far: [UInt8] = [128, 4, 93, 40, 140, 1, 97, 114, 232, 3, 0, 0, 106, 232, 3, 0, 0, 148, 104, 1, 101, 46]
        #expect(try PickleDecoder.decode(far) == .list(["a", "a", "a"]))
        let overwritten: [UInt8] = [128, 4, 93, 40, 140, 1, 97, 148, 140, 1, 98, 113, 0, 104, 0, 148, 104, 1, 101, 46]
        #expect(try PickleDecoder.decode(overwritten) == .list(["a", "b", "b", "b"]))
    }

    /// CPython's unpickler runs out of memory on this key (its memo is an array sized by
    /// the key); ours stores it without allocating for the keys below it.
    @Test func hugeKey_allocatesNothingBelowIt() throws {
        let huge: [UInt8] = [128, 4, 93, 40, 140, 1, 97, 114, 0, 40, 107, 238, 106, 0, 40, 107, 238, 101, 46]
        #expect(try PickleDecoder.decode(huge) == .list(["a", "a"]))
        let missing: [UInt8] = [128, 4, 93, 40, 140, 1, 97, 114, 0, 40, 107, 238, 106, 1, 40, 107, 238, 101, 46]
        #expect(throws: PickleError.self) { try PickleDecoder.decode(missing) }
    }
}
