// The allow-list: the only class references a pickle may make, and how each one is
// "called" by REDUCE/NEWOBJ and updated by BUILD. Nothing else is ever resolved.

extension PickleMachine {
    static func resolveGlobal(module: String, name: String) throws(PickleError) -> AllowedGlobal {
        switch (module, name) {
        case ("datetime", "datetime"): return .datetime
        case ("array", "_array_reconstructor"): return .arrayReconstructor
        case ("array", "array"): return .arrayType
        // Protocols 0-2 name them with their Python 2 modules (pickle's fix_imports).
        case ("builtins", _), ("exceptions", _), ("__builtin__", _):
            guard PyException.builtinNames.contains(name) else { throw .forbiddenGlobal(module: module, name: name) }
            return .exception(name)
        default: throw .forbiddenGlobal(module: module, name: name)
        }
    }

    /// REDUCE/NEWOBJ: builds the allowed object from its class and argument tuple.
    mutating func construct(_ callable: Item, _ argsItem: Item, opcode: String) throws(PickleError) {
        guard case .global(let global) = callable.payload else {
            throw .malformed("\(opcode) on a \(describe(callable.payload)), not a class", offset: offset)
        }
        let args: [Payload]
        switch argsItem.payload {
        case .value(.tuple(let values)): args = values.map { .value($0) }
        case .rawTuple(let payloads): args = payloads
        default: throw .malformed("\(opcode) arguments are a \(describe(argsItem.payload)), not a tuple", offset: offset)
        }
        do {
            switch global {
            case .datetime:
                try pushValue(.datetime(try Self.makeDateTime(args)))
            case .arrayReconstructor:
                try pushValue(.array(try Self.reconstructArray(args)))
            case .arrayType:
                try pushValue(.array(try Self.makeArray(args)))
            case .exception(let name):
                var values: [PyValue] = []
                for arg in args {
                    guard case .value(let v) = arg else { throw PyValueError.typeMismatch(expected: "value", found: "class") }
                    values.append(v)
                }
                try push(.value(.exception(try PyException(name, args: values))),
                         weight: argsItem.weight, depth: max(1, argsItem.depth))
            }
        } catch let error as PickleError {
            throw error
        } catch let error as PyValueError {
            throw .invalidObject(error.description, offset: offset)
        } catch {
            throw .invalidObject("\(error)", offset: offset)
        }
    }

    static func makeDateTime(_ args: [Payload]) throws(PyValueError) -> PyDateTime {
        switch args.first {
        case .value(.bytes(let state))?:
            if args.count == 2, case .value(.none) = args[1] {
                return try PyDateTime(pickleState: state)
            }
            guard args.count == 1 else { throw .invalidDateTime("timezone-aware datetimes are not supported") }
            return try PyDateTime(pickleState: state)
        default:
            var fields: [Int] = []
            for arg in args {
                guard case .value(.int(let i)) = arg else { throw .invalidDateTime("arguments must be ints or one 10-byte state") }
                fields.append(try i.exactly(Int.self))
            }
            guard (3...7).contains(fields.count) else { throw .invalidDateTime("expected 3 to 7 int arguments") }
            fields += Array(repeating: 0, count: 7 - fields.count)
            return try PyDateTime(year: fields[0], month: fields[1], day: fields[2], hour: fields[3],
                                  minute: fields[4], second: fields[5], microsecond: fields[6])
        }
    }

    /// `array._array_reconstructor(array.array, typecode, mformat, bytes)`.
    static func reconstructArray(_ args: [Payload]) throws(PyValueError) -> PyArray {
        guard args.count == 4, case .global(.arrayType) = args[0], case .value(.str(let typecode)) = args[1],
              case .value(.int(let format)) = args[2], case .value(.bytes(let bytes)) = args[3] else {
            throw .invalidArray("expected (array.array, typecode, mformat, bytes)")
        }
        guard typecode == "h" else { throw .invalidArray("typecode '\(typecode)' is not supported, only 'h'") }
        return try PyArray(bytes: bytes, machineFormat: try format.exactly(Int.self))
    }

    /// `array.array(typecode[, list or bytes])`, what protocols 0-2 emit.
    static func makeArray(_ args: [Payload]) throws(PyValueError) -> PyArray {
        guard (1...2).contains(args.count), case .value(.str(let typecode)) = args[0] else {
            throw .invalidArray("expected (typecode[, initializer])")
        }
        guard typecode == "h" else { throw .invalidArray("typecode '\(typecode)' is not supported, only 'h'") }
        guard args.count == 2 else { return PyArray([]) }
        switch args[1] {
        case .value(.list(let items)), .value(.tuple(let items)):
            var values: [Int16] = []
            for item in items {
                guard case .int(let i) = item else { throw .invalidArray("items must be ints") }
                values.append(try i.exactly(Int16.self))
            }
            return PyArray(values)
        case .value(.bytes(let bytes)):
            return try PyArray(bytes: bytes, machineFormat: PyArray.signedInt16LittleEndian)
        default:
            throw .invalidArray("initializer must be a list or bytes")
        }
    }

    /// BUILD: only exceptions take a state (their `__dict__`).
    mutating func build(with state: Item) throws(PickleError) {
        guard stack.count > fence, let target = stack.indices.last else {
            throw .malformed("BUILD with no object", offset: offset)
        }
        guard case .value(.exception(var exception)) = stack[target].payload else {
            throw .unsupportedOpcode("BUILD on a \(describe(stack[target].payload))", offset: offset)
        }
        guard !stack[target].frozen else { throw recursive("BUILD") }
        let stateValue = try value(of: state, for: "BUILD")
        switch stateValue {
        case .none:
            return
        case .dict(let pairs) where pairs.isEmpty:
            // CPython adds an empty __dict__ once anything touched it: same object.
            return
        case .dict(let pairs):
            var builder = PyDictBuilder()
            for (key, value) in (exception.state?.dictPairs ?? []) + pairs {
                do {
                    try builder.set(key, value)
                } catch {
                    throw .unrepresentable("unhashable attribute name", offset: offset)
                }
            }
            exception.state = .dict(builder.pairs)
        default:
            throw .invalidObject("exception state is a \(stateValue.typeName), not a dict", offset: offset)
        }
        let weight = stack[target].weight + state.weight
        let depth = max(stack[target].depth, state.depth + 1)
        try checkContainer(weight: weight, depth: depth)
        stack[target] = Item(payload: .value(.exception(exception)), weight: weight, depth: depth,
                             memoKeys: stack[target].memoKeys)
    }
}
