/// What a client sends during a pty session on port 12347, one pickled dict each:
/// keystrokes (`{"evt": "input_data", "data": bytes}`) and terminal resizes
/// (`{"evt": "window_resize", "lines": int, "columns": int}`).
public enum PtyEvent: Equatable, Sendable {
    case inputData([UInt8])
    case windowResize(lines: Int, columns: Int)

    public init(_ value: PyValue) throws(PyValueError) {
        switch value["evt"]?.stringValue {
        case "input_data":
            guard let data = value["data"]?.bytesValue else { throw .typeMismatch(expected: "bytes 'data'", found: value["data"]?.typeName ?? "nothing") }
            self = .inputData(data)
        case "window_resize":
            guard let lines = value["lines"], let columns = value["columns"] else {
                throw .typeMismatch(expected: "'lines' and 'columns'", found: "a partial event")
            }
            self = .windowResize(lines: try lines.exactly(Int.self), columns: try columns.exactly(Int.self))
        default:
            throw .typeMismatch(expected: "a pty event dict", found: String(value.description.prefix(100)))
        }
    }

    public var value: PyValue {
        switch self {
        case .inputData(let data): return .strDict(["evt": "input_data", "data": .bytes(data)])
        case .windowResize(let lines, let columns):
            return .strDict(["evt": "window_resize", "lines": .int(PyInt(lines)), "columns": .int(PyInt(columns))])
        }
    }

    /// The `win_size` parameter of interactive requests: `array('h', [rows, cols, xpix, ypix])`,
    /// which upstream hands to `ioctl(TIOCSWINSZ)` as a `struct winsize`.
    public static func windowSize(rows: Int16, columns: Int16) -> PyValue {
        .array(PyArray([rows, columns, 0, 0]))
    }
}

/// One chunk of `walt-annotate-cmd --mode pickle4` output (image builds, id 16):
/// `("stdout", bytes)`, `("stderr", bytes)`, and finally `("retcode", int)`.
public enum AnnotatedCommandOutput: Equatable, Sendable {
    case stdout([UInt8])
    case stderr([UInt8])
    case retcode(Int)

    public init(_ value: PyValue) throws(PyValueError) {
        guard let items = value.sequenceItems, items.count == 2, let tag = items[0].stringValue else {
            throw .typeMismatch(expected: "(tag, payload)", found: value.typeName)
        }
        switch (tag, items[1]) {
        case ("stdout", .bytes(let b)): self = .stdout(b)
        case ("stderr", .bytes(let b)): self = .stderr(b)
        case ("retcode", .int(let code)): self = .retcode(try code.exactly(Int.self))
        default: throw .typeMismatch(expected: "stdout/stderr bytes or retcode int", found: "\(tag) \(items[1].typeName)")
        }
    }

    public var value: PyValue {
        switch self {
        case .stdout(let b): return .tuple(["stdout", .bytes(b)])
        case .stderr(let b): return .tuple(["stderr", .bytes(b)])
        case .retcode(let code): return .tuple(["retcode", .int(PyInt(code))])
        }
    }
}
