#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The service the server calls back into while a call runs (upstream's
/// `WaltClientService` and `ExposedStream`s): output, the username, the busy label, tty
/// facts, local file look-ups and registry credentials. Unknown paths answer None. What
/// it throws (credentials nobody can be asked for) ends the call in progress.
public final class ClientCallbacks {
    public let username: String
    public let busy: BusyIndicator
    /// `"cli"`, or `"api"` for the library (upstream's `set_config(client_type=)`).
    public var clientType = "cli"
    let writeOutput: (String) -> Void
    let writeError: (String) -> Void
    /// Registry credentials; nil answers as a configuration without any.
    public let registries: RegistryCredentials?

    public init(username: String, busy: BusyIndicator, writeOutput: @escaping (String) -> Void,
                writeError: @escaping (String) -> Void, registries: RegistryCredentials? = nil) {
        self.username = username
        self.busy = busy
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.registries = registries
    }

    /// Runs the callback at `path` with `args`.
    public func handle(_ path: String, _ args: [PyValue]) throws(ClientError) -> PyValue {
        let first = args.first
        switch path {
        case "is_alive": return true
        case "get_client_type": return .str(clientType)
        case "get_username": return .str(username)
        case "get_win_size":
            var size = winsize()
            guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0 else { return .none }
            return .dict([(key: "cols", value: .int(PyInt(Int(size.ws_col)))), (key: "rows", value: .int(PyInt(Int(size.ws_row))))])
        case "set_busy_label":
            busy.setLabel(first?.stringValue ?? BusyIndicator.defaultLabel)
            return .none
        case "set_default_busy_label":
            busy.setDefaultLabel()
            return .none
        case "has_hook": return false
        case "get_registry_username":
            return first?.stringValue.flatMap { registries?.username($0) }.map(PyValue.str) ?? .none
        case "get_registry_encrypted_credentials":
            guard let label = first?.stringValue, args.count == 2, let registries else { return .none }
            return try registries.encryptedCredentials(label, serverPublicKey: args[1])
        case "prompt_missing_registry_credentials":
            busy.erase()
            if let label = first?.stringValue { try registries?.promptIfMissing(label) }
            return .none
        case "stdout.write", "stderr.write":
            busy.erase()
            let text = first.map { $0.stringValue ?? $0.description } ?? ""
            if path == "stdout.write" { writeOutput(text) } else { writeError(text) }
            return .none
        case "stdin.readline":
            return .str(readLine(strippingNewline: false) ?? "")
        case "filesystem.get_file_type":
            return first?.stringValue.flatMap(Self.fileType).map(PyValue.str) ?? .none
        case "filesystem.get_completions":
            return .tuple((first?.stringValue).map(Self.completions)?.map(PyValue.str) ?? [])
        default:
            return stream(path)
        }
    }

    /// `stdin|stdout|stderr .fileno/.isatty/.get_encoding/.flush`.
    private func stream(_ path: String) -> PyValue {
        let parts = path.split(separator: ".")
        let fds: [Substring: Int32] = ["stdin": 0, "stdout": 1, "stderr": 2]
        guard parts.count == 2, let fd = fds[parts[0]] else { return .none }
        switch parts[1] {
        case "fileno": return .int(PyInt(Int(fd)))
        case "isatty": return .bool(Terminal.isTTY(fd))
        case "get_encoding": return "utf-8"
        default: return .none
        }
    }

    /// `f`, `d`, `o` or nil when nothing is there (upstream's `Filesystem.get_file_type`).
    static func fileType(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "f"
        case S_IFDIR: return "d"
        default: return "o"
        }
    }

    /// `glob(partial + "*")`, directories with a trailing `/`.
    static func completions(_ partial: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(partial + "*", GLOB_MARK, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
