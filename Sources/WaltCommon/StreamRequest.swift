/// Request ids of WalT's stream port 12347 (`Requests` in upstream's `tcp.py`; 10 is the
/// RPC link on port 12345). A connection starts with the id as a decimal line, or its name
/// (`REQ_NEW_INCOMING_LOGS\n` from node scripts).
public enum StreamRequest: Int, CaseIterable, Sendable {
    case newIncomingLogs = 0
    case dumpLogs = 1
    case sqlPrompt = 2
    case dockerPrompt = 3
    case nodeCommand = 4
    case devicePing = 5
    case tarFromImage = 6
    case tarToImage = 7
    case tarFromNode = 8
    case tarToNode = 9
    case apiSession = 10
    case tcpToNode = 11
    case fakeTFTPGet = 12
    case vpnNodeImage = 13
    case notifyBootupStatus = 14
    case deviceShell = 15
    case tarForImageBuild = 16

    /// Upstream's symbolic name, e.g. `REQ_NODE_CMD`.
    public var name: String {
        switch self {
        case .newIncomingLogs: return "REQ_NEW_INCOMING_LOGS"
        case .dumpLogs: return "REQ_DUMP_LOGS"
        case .sqlPrompt: return "REQ_SQL_PROMPT"
        case .dockerPrompt: return "REQ_DOCKER_PROMPT"
        case .nodeCommand: return "REQ_NODE_CMD"
        case .devicePing: return "REQ_DEVICE_PING"
        case .tarFromImage: return "REQ_TAR_FROM_IMAGE"
        case .tarToImage: return "REQ_TAR_TO_IMAGE"
        case .tarFromNode: return "REQ_TAR_FROM_NODE"
        case .tarToNode: return "REQ_TAR_TO_NODE"
        case .apiSession: return "REQ_API_SESSION"
        case .tcpToNode: return "REQ_TCP_TO_NODE"
        case .fakeTFTPGet: return "REQ_FAKE_TFTP_GET"
        case .vpnNodeImage: return "REQ_VPN_NODE_IMAGE"
        case .notifyBootupStatus: return "REQ_NOTIFY_BOOTUP_STATUS"
        case .deviceShell: return "REQ_DEVICE_SHELL"
        case .tarForImageBuild: return "REQ_TAR_FOR_IMAGE_BUILD"
        }
    }

    /// Reads a request line (without `\n`): a decimal id, like Python's `int()` with
    /// surrounding whitespace and an optional `+`, or an upstream name.
    public init?(line: some Collection<UInt8>) {
        let text = String(decoding: line, as: UTF8.self).trimmingSpaces
        if let id = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text), !text.hasPrefix("-") {
            self.init(rawValue: id)
        } else if let request = Self.allCases.first(where: { $0.name == text }) {
            self = request
        } else {
            return nil
        }
    }

    /// The line a client sends first: `"4\n"`.
    public var requestLine: [UInt8] { Array("\(rawValue)\n".utf8) }

    /// Served on port 12347 (all but the RPC link).
    public var isStreamPortRequest: Bool { self != .apiSession }

    /// The server answers `READY\n` before reading the parameters ("parallel process" listeners).
    public var startsWithReady: Bool {
        switch self {
        case .sqlPrompt, .dockerPrompt, .nodeCommand, .devicePing, .tarFromImage, .tarToImage, .tarFromNode,
             .tarToNode, .fakeTFTPGet, .vpnNodeImage, .deviceShell, .tarForImageBuild:
            return true
        case .newIncomingLogs, .dumpLogs, .apiSession, .tcpToNode, .notifyBootupStatus:
            return false
        }
    }

    /// A pickled parameters dict follows the id line (after READY when there is one).
    public var hasParameters: Bool {
        switch self {
        case .newIncomingLogs, .notifyBootupStatus, .apiSession: return false
        default: return true
        }
    }

    /// The server sends a pty session's output raw, and the client sends `PtyEvent` pickles
    /// when the parameters ask for `tty_mode`.
    public var canUsePty: Bool {
        switch self {
        case .sqlPrompt, .dockerPrompt, .nodeCommand, .devicePing, .deviceShell: return true
        default: return false
        }
    }
}
