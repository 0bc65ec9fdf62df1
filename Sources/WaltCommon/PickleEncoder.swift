/// Encodes a value as a protocol 4 pickle the way CPython 3.11's C pickler does: same
/// opcodes, same MEMOIZE after each str/bytes/tuple/list/dict/object, same 1000-item
/// batches, same 64 KiB frames with large str/bytes written outside frames.
///
/// Python objects have identities and ours do not, so the only memo back-references we
/// emit are for classes (`datetime.datetime` repeated in a list of log records is one
/// BINGET, as in CPython); equal strings are written twice, which Python reads the same.
public struct PickleEncoder {
    static let frameSizeTarget = 64 * 1024
    static let frameSizeMin = 4
    static let batchSize = 1000

    private var output: [UInt8] = []
    /// Where the current frame's 9-byte header is reserved, once the frame has content.
    private var frameStart: Int?
    private var memoCount = 0
    private var classMemo: [String: Int] = [:]

    private init() {}

    /// The pickle bytes of `value`, PROTO 4 to STOP.
    public static func encode(_ value: PyValue) -> [UInt8] {
        var encoder = PickleEncoder()
        encoder.output.reserveCapacity(64)
        encoder.output += [PickleOpcode.proto.rawValue, 4]
        encoder.save(value)
        encoder.write([PickleOpcode.stop.rawValue])
        encoder.commitFrame(force: true)
        return encoder.output
    }

    // MARK: framing

    private mutating func write(_ bytes: [UInt8]) {
        if frameStart == nil {
            frameStart = output.count
            output += [UInt8](repeating: 0, count: 9)
        }
        output += bytes
    }

    private mutating func commitFrame(force: Bool) {
        guard let start = frameStart else { return }
        let length = output.count - start - 9
        guard force || length >= Self.frameSizeTarget else { return }
        if length >= Self.frameSizeMin {
            output[start] = PickleOpcode.frame.rawValue
            for i in 0..<8 { output[start + 1 + i] = UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(8 * i)) }
        } else {
            output.removeSubrange(start..<(start + 9))
        }
        frameStart = nil
    }

    /// str/bytes payloads of 64 KiB or more go outside any frame, as CPython writes them.
    private mutating func writeCounted(_ header: [UInt8], _ payload: some Collection<UInt8>) {
        if payload.count >= Self.frameSizeTarget {
            commitFrame(force: true)
            output += header
            output += payload
        } else {
            write(header + payload)
        }
    }

    private static func littleEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
    }

    private mutating func memoize() {
        write([PickleOpcode.memoize.rawValue])
        memoCount += 1
    }

    // MARK: values

    private mutating func save(_ value: PyValue) {
        commitFrame(force: false)
        switch value {
        case .none:
            write([PickleOpcode.none.rawValue])
        case .bool(let b):
            write([b ? PickleOpcode.newTrue.rawValue : PickleOpcode.newFalse.rawValue])
        case .int(let i):
            saveInt(i)
        case .float(let f):
            write([PickleOpcode.binFloat.rawValue] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: f.bitPattern >> UInt64(8 * $0)) })
        case .str(let s):
            saveCounted(Array(s.utf8), short: .shortBinUnicode, medium: .binUnicode, long: .binUnicode8)
        case .bytes(let b):
            saveCounted(b, short: .shortBinBytes, medium: .binBytes, long: .binBytes8)
        case .tuple(let items):
            saveTuple(items)
        case .list(let items):
            write([PickleOpcode.emptyList.rawValue])
            memoize()
            saveBatches(items.count, single: .append, batch: .appends) { encoder, i in encoder.save(items[i]) }
        case .dict(let pairs):
            write([PickleOpcode.emptyDict.rawValue])
            memoize()
            saveBatches(pairs.count, single: .setItem, batch: .setItems) { encoder, i in
                encoder.save(pairs[i].key)
                encoder.save(pairs[i].value)
            }
        case .datetime(let d):
            saveReduce(module: "datetime", name: "datetime", args: [.bytes(d.pickleState)])
        case .array(let a):
            commitFrame(force: false)
            saveGlobal(module: "array", name: "_array_reconstructor")
            write([PickleOpcode.mark.rawValue])
            saveGlobal(module: "array", name: "array")
            save(.str(String(PyArray.typecode)))
            save(.int(PyInt(PyArray.signedInt16LittleEndian)))
            save(.bytes(a.littleEndianBytes))
            write([PickleOpcode.tuple.rawValue])
            memoize()
            write([PickleOpcode.reduce.rawValue])
            memoize()
        case .exception(let e):
            saveReduce(module: "builtins", name: e.typeName, args: e.args)
            if let state = e.state {
                save(state)
                write([PickleOpcode.build.rawValue])
            }
        }
    }

    private mutating func saveInt(_ i: PyInt) {
        if let small = i.intValue {
            if (0...0xff).contains(small) {
                write([PickleOpcode.binInt1.rawValue, UInt8(small)])
                return
            }
            if (0...0xffff).contains(small) {
                write([PickleOpcode.binInt2.rawValue] + Self.littleEndian(UInt64(small), bytes: 2))
                return
            }
            if let i32 = Int32(exactly: small) {
                write([PickleOpcode.binInt.rawValue] + Self.littleEndian(UInt64(UInt32(bitPattern: i32)), bytes: 4))
                return
            }
        }
        let encoded = i.twosComplementLittleEndian
        if encoded.count < 256 {
            write([PickleOpcode.long1.rawValue, UInt8(encoded.count)] + encoded)
        } else {
            write([PickleOpcode.long4.rawValue] + Self.littleEndian(UInt64(encoded.count), bytes: 4) + encoded)
        }
    }

    private mutating func saveCounted(_ payload: [UInt8], short: PickleOpcode, medium: PickleOpcode, long: PickleOpcode) {
        if payload.count <= 0xff {
            write([short.rawValue, UInt8(payload.count)] + payload)
        } else if payload.count > 0xffff_ffff {
            writeCounted([long.rawValue] + Self.littleEndian(UInt64(payload.count), bytes: 8), payload)
        } else {
            writeCounted([medium.rawValue] + Self.littleEndian(UInt64(payload.count), bytes: 4), payload)
        }
        memoize()
    }

    private mutating func saveTuple(_ items: [PyValue]) {
        if items.isEmpty {
            write([PickleOpcode.emptyTuple.rawValue])
            return
        }
        if items.count <= 3 {
            for item in items { save(item) }
            write([PickleOpcode.tuple1.rawValue + UInt8(items.count - 1)])
        } else {
            write([PickleOpcode.mark.rawValue])
            for item in items { save(item) }
            write([PickleOpcode.tuple.rawValue])
        }
        memoize()
    }

    /// CPython's batch_list_exact/batch_dict_exact: one item is X then APPEND/SETITEM,
    /// more go by MARK ... APPENDS/SETITEMS in batches of 1000.
    private mutating func saveBatches(_ count: Int, single: PickleOpcode, batch: PickleOpcode,
                                      _ saveItem: (inout PickleEncoder, Int) -> Void) {
        if count == 1 {
            saveItem(&self, 0)
            write([single.rawValue])
            return
        }
        var index = 0
        while index < count {
            write([PickleOpcode.mark.rawValue])
            let end = min(count, index + Self.batchSize)
            while index < end {
                saveItem(&self, index)
                index += 1
            }
            write([batch.rawValue])
        }
    }

    /// A class reference: STACK_GLOBAL the first time, BINGET afterwards.
    private mutating func saveGlobal(module: String, name: String) {
        commitFrame(force: false)
        let key = module + "." + name
        if let index = classMemo[key] {
            if index < 256 {
                write([PickleOpcode.binGet.rawValue, UInt8(index)])
            } else {
                write([PickleOpcode.longBinGet.rawValue] + Self.littleEndian(UInt64(index), bytes: 4))
            }
            return
        }
        save(.str(module))
        save(.str(name))
        write([PickleOpcode.stackGlobal.rawValue])
        classMemo[key] = memoCount
        memoize()
    }

    private mutating func saveReduce(module: String, name: String, args: [PyValue]) {
        saveGlobal(module: module, name: name)
        save(.tuple(args))
        write([PickleOpcode.reduce.rawValue])
        memoize()
    }
}
