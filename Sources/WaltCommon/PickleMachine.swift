/// The unpickler's stack machine for one message: stack, marks and memo, fed one complete
/// opcode at a time by `PickleDecoder`, which owns the bytes.
///
/// Lists and dicts stay "open" on the stack while APPENDS/SETITEMS fill them, so they are
/// mutated in place. A memo entry points at its stack slot until the object is popped,
/// then holds the finished value. Since values are copies, not shared objects, a container
/// that is modified after being fetched from the memo (which only a recursive structure
/// does) is refused instead of silently diverging from Python.
struct PickleMachine {
    enum AllowedGlobal: Equatable {
        case datetime
        case arrayReconstructor
        case arrayType
        case exception(String)
    }

    indirect enum Payload {
        case value(PyValue)
        case openList([PyValue])
        case openDict(PyDictBuilder)
        case global(AllowedGlobal)
        /// A tuple holding a class object: only usable as REDUCE arguments.
        case rawTuple([Payload])
    }

    struct Item {
        var payload: Payload
        /// Values in the tree, counting this one.
        var weight: Int
        /// Container nesting levels (0 for a scalar).
        var depth: Int
        var memoKeys: [Int] = []
        /// Fetched from the memo while still on the stack: must not change any more.
        var frozen = false
    }

    enum MemoEntry {
        case settled(Item)
        case onStack(Int)
    }

    let limits: PickleLimits
    var stack: [Item] = []
    var marks: [Int] = []
    var memo = PickleMemo()
    /// Offset of the opcode being executed, for error messages.
    var offset = 0

    init(limits: PickleLimits) {
        self.limits = limits
    }

    // MARK: stack helpers

    var fence: Int { marks.last ?? 0 }

    mutating func push(_ payload: Payload, weight: Int = 1, depth: Int = 0) throws(PickleError) {
        guard weight <= limits.maxValueCount else { throw .tooManyValues(limit: limits.maxValueCount) }
        guard depth <= limits.maxDepth else { throw .nestingTooDeep(limit: limits.maxDepth) }
        stack.append(Item(payload: payload, weight: weight, depth: depth))
    }

    mutating func pushValue(_ value: PyValue) throws(PickleError) {
        try push(.value(value))
    }

    static func closed(_ payload: Payload) -> Payload {
        switch payload {
        case .openList(let items): return .value(.list(items))
        case .openDict(let builder): return .value(.dict(builder.pairs))
        default: return payload
        }
    }

    /// Pops the top item (above the current mark), finishing it and settling its memo keys.
    mutating func popItem(for opcode: String) throws(PickleError) -> Item {
        guard stack.count > fence, var item = stack.popLast() else {
            throw .malformed("stack underflow in \(opcode)", offset: offset)
        }
        item.payload = Self.closed(item.payload)
        settle(&item)
        return item
    }

    /// Pops every item above the top mark, and the mark.
    mutating func popToMark(for opcode: String) throws(PickleError) -> [Item] {
        guard let mark = marks.popLast() else { throw .malformed("\(opcode) without MARK", offset: offset) }
        var items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        for i in items.indices {
            items[i].payload = Self.closed(items[i].payload)
            settle(&items[i])
        }
        return items
    }

    private mutating func settle(_ item: inout Item) {
        for key in item.memoKeys {
            memo[key] = .settled(Item(payload: item.payload, weight: item.weight, depth: item.depth))
        }
        item.memoKeys = []
    }

    func value(of item: Item, for opcode: String) throws(PickleError) -> PyValue {
        switch item.payload {
        case .value(let v): return v
        case .global, .rawTuple: throw .unrepresentable("a class object cannot be used as a value (\(opcode))", offset: offset)
        case .openList, .openDict: throw .malformed("unfinished container in \(opcode)", offset: offset)
        }
    }

    // MARK: memo

    mutating func memoPut(_ key: Int) throws(PickleError) {
        guard stack.count > fence, let top = stack.indices.last else {
            throw .malformed("memo store with an empty stack", offset: offset)
        }
        if case .onStack(let slot)? = memo[key], slot < stack.count {
            stack[slot].memoKeys.removeAll { $0 == key }
        }
        memo[key] = .onStack(top)
        stack[top].memoKeys.append(key)
    }

    mutating func memoGet(_ key: Int) throws(PickleError) {
        switch memo[key] {
        case nil:
            throw .memoKeyMissing(key, offset: offset)
        case .settled(let item):
            try push(item.payload, weight: item.weight, depth: item.depth)
        case .onStack(let slot):
            guard slot < stack.count else { throw .memoKeyMissing(key, offset: offset) }
            stack[slot].frozen = true
            let source = stack[slot]
            try push(Self.closed(source.payload), weight: source.weight, depth: source.depth)
        }
    }

    // MARK: containers

    /// Runs `body` on the open list below the popped items, in place.
    mutating func appendToList(_ items: [Item], opcode: String) throws(PickleError) {
        guard stack.count > fence, let target = stack.indices.last else {
            throw .malformed("\(opcode) with no list", offset: offset)
        }
        guard !stack[target].frozen else { throw recursive(opcode) }
        guard case .openList(var list) = stack[target].payload else {
            throw .malformed("\(opcode) on a \(describe(stack[target].payload))", offset: offset)
        }
        stack[target].payload = .value(.none)
        var weight = stack[target].weight, depth = stack[target].depth
        for item in items {
            list.append(try value(of: item, for: opcode))
            weight += item.weight
            depth = max(depth, item.depth + 1)
        }
        stack[target].payload = .openList(list)
        try checkContainer(weight: weight, depth: depth)
        stack[target].weight = weight
        stack[target].depth = depth
    }

    mutating func setItemsInDict(_ items: [Item], opcode: String) throws(PickleError) {
        guard items.count % 2 == 0 else { throw .malformed("\(opcode) with an odd number of items", offset: offset) }
        guard stack.count > fence, let target = stack.indices.last else {
            throw .malformed("\(opcode) with no dict", offset: offset)
        }
        guard !stack[target].frozen else { throw recursive(opcode) }
        guard case .openDict(var builder) = stack[target].payload else {
            throw .malformed("\(opcode) on a \(describe(stack[target].payload))", offset: offset)
        }
        stack[target].payload = .value(.none)
        var weight = stack[target].weight, depth = stack[target].depth
        var i = 0
        while i < items.count {
            let key = try value(of: items[i], for: opcode), value = try value(of: items[i + 1], for: opcode)
            do {
                try builder.set(key, value)
            } catch {
                throw .unrepresentable("unhashable type: '\(error.typeName)' as a dict key", offset: offset)
            }
            weight += items[i].weight + items[i + 1].weight
            depth = max(depth, items[i].depth + 1, items[i + 1].depth + 1)
            i += 2
        }
        stack[target].payload = .openDict(builder)
        try checkContainer(weight: weight, depth: depth)
        stack[target].weight = weight
        stack[target].depth = depth
    }

    mutating func makeTuple(_ items: [Item]) throws(PickleError) {
        var weight = 1, depth = 1
        var values: [PyValue] = []
        values.reserveCapacity(items.count)
        var raw = false
        for item in items {
            weight += item.weight
            depth = max(depth, item.depth + 1)
            if case .value(let v) = item.payload { values.append(v) } else { raw = true }
        }
        try checkContainer(weight: weight, depth: depth)
        try push(raw ? .rawTuple(items.map(\.payload)) : .value(.tuple(values)), weight: weight, depth: depth)
    }

    func checkContainer(weight: Int, depth: Int) throws(PickleError) {
        guard weight <= limits.maxValueCount else { throw .tooManyValues(limit: limits.maxValueCount) }
        guard depth <= limits.maxDepth else { throw .nestingTooDeep(limit: limits.maxDepth) }
    }

    func recursive(_ opcode: String) -> PickleError {
        .unrepresentable("object changed by \(opcode) after being referenced (recursive structure)", offset: offset)
    }

    func describe(_ payload: Payload) -> String {
        switch payload {
        case .value(let v): return v.typeName
        case .openList: return "list"
        case .openDict: return "dict"
        case .global: return "class"
        case .rawTuple: return "tuple"
        }
    }
}
