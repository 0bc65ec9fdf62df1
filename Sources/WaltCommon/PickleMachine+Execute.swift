// One opcode of the pickle machine. The decoder has already checked that the whole
// argument is present and within the size limit; `arg` is exactly the argument bytes
// (for counted opcodes, the payload after the length field).

extension PickleMachine {
    /// Executes `op`; returns the message's value at STOP.
    mutating func execute(_ op: PickleOpcode, _ arg: ArraySlice<UInt8>) throws(PickleError) -> PyValue? {
        switch op {
        case .proto:
            let version = Int(arg.first ?? 0)
            guard version <= 5 else { throw .unsupportedProtocol(version) }
        case .frame:
            break
        case .stop:
            let item = try popItem(for: "STOP")
            return try value(of: item, for: "STOP")
        case .mark:
            marks.append(stack.count)
        case .pop:
            if stack.count > fence {
                _ = try popItem(for: "POP")
            } else {
                _ = try popToMark(for: "POP")
            }
        case .popMark:
            _ = try popToMark(for: "POP_MARK")
        case .dup:
            guard stack.count > fence, var top = stack.last else { throw .malformed("DUP with an empty stack", offset: offset) }
            top.memoKeys = []
            top.frozen = false
            top.payload = Self.closed(top.payload)
            if let last = stack.indices.last { stack[last].frozen = true }
            stack.append(top)
        case .none:
            try pushValue(.none)
        case .newTrue:
            try pushValue(.bool(true))
        case .newFalse:
            try pushValue(.bool(false))
        case .binInt1, .binInt2:
            try pushValue(.int(PyInt(Int(Self.littleEndian(arg)))))
        case .binInt:
            try pushValue(.int(PyInt(Int(Int32(truncatingIfNeeded: Self.littleEndian(arg))))))
        case .long1, .long4:
            try pushValue(.int(PyInt(twosComplementLittleEndian: arg)))
        case .binFloat:
            var bits: UInt64 = 0
            for byte in arg { bits = bits << 8 | UInt64(byte) }
            try pushValue(.float(Double(bitPattern: bits)))
        case .shortBinUnicode, .binUnicode, .binUnicode8:
            try pushValue(.str(try Self.utf8String(arg, offset: offset)))
        case .shortBinBytes, .binBytes, .binBytes8:
            try pushValue(.bytes(Array(arg)))
        case .emptyTuple:
            try makeTuple([])
        case .tuple1, .tuple2, .tuple3:
            let count = Int(op.rawValue - PickleOpcode.tuple1.rawValue) + 1
            var items: [Item] = []
            for _ in 0..<count { items.append(try popItem(for: "TUPLE\(count)")) }
            try makeTuple(items.reversed())
        case .tuple:
            try makeTuple(try popToMark(for: "TUPLE"))
        case .emptyList:
            try push(.openList([]), depth: 1)
        case .append:
            let item = try popItem(for: "APPEND")
            try appendToList([item], opcode: "APPEND")
        case .appends:
            let items = try popToMark(for: "APPENDS")
            try appendToList(items, opcode: "APPENDS")
        case .emptyDict:
            try push(.openDict(PyDictBuilder()), depth: 1)
        case .setItem:
            let value = try popItem(for: "SETITEM")
            let key = try popItem(for: "SETITEM")
            try setItemsInDict([key, value], opcode: "SETITEM")
        case .setItems:
            let items = try popToMark(for: "SETITEMS")
            try setItemsInDict(items, opcode: "SETITEMS")
        case .memoize:
            try memoPut(memo.count)
        case .binPut, .longBinPut:
            try memoPut(Int(Self.littleEndian(arg)))
        case .binGet, .longBinGet:
            try memoGet(Int(Self.littleEndian(arg)))
        case .global:
            let lines = arg.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            guard lines.count >= 2 else { throw .malformed("GLOBAL without two lines", offset: offset) }
            let module = try Self.utf8String(lines[0], offset: offset)
            let name = try Self.utf8String(lines[1], offset: offset)
            try push(.global(try Self.resolveGlobal(module: module, name: name)))
        case .stackGlobal:
            let nameItem = try popItem(for: "STACK_GLOBAL")
            let moduleItem = try popItem(for: "STACK_GLOBAL")
            guard case .value(.str(let name)) = nameItem.payload, case .value(.str(let module)) = moduleItem.payload else {
                throw .malformed("STACK_GLOBAL operands are not str", offset: offset)
            }
            try push(.global(try Self.resolveGlobal(module: module, name: name)))
        case .reduce, .newObj:
            let name = op == .reduce ? "REDUCE" : "NEWOBJ"
            let argsItem = try popItem(for: name)
            let callable = try popItem(for: name)
            try construct(callable, argsItem, opcode: name)
        case .build:
            let state = try popItem(for: "BUILD")
            try build(with: state)
        case .emptySet, .addItems, .frozenSet:
            throw .unsupportedOpcode("\(op) (Python sets are not part of the wire model)", offset: offset)
        }
        return nil
    }

    static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for byte in bytes.reversed() { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Strict UTF-8: CPython writes surrogates with 'surrogatepass', which Swift strings
    /// cannot hold; those are refused here.
    static func utf8String(_ bytes: ArraySlice<UInt8>, offset: Int) throws(PickleError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(offset: offset) }
        return text
    }
}
