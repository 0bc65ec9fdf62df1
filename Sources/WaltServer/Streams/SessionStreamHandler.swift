#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import WaltCommon

/// The port-12347 requests served by running a program for the client (upstream's
/// "parallel process" listeners): the SQL prompt (2, psql on the daemon's database), node
/// commands and shells (4), pings (5), tar transfers with nodes (8, 9) and device shells (15). `READY` and the parameters were already
/// exchanged by the request reader.
///
/// The server only reaches addresses of devices it knows: the client names the IP, and
/// the server's root key must not be usable against any other host.
struct SessionStreamHandler {
    let daemon: DaemonState
    let peer: TCPListener.Peer

    func run(_ request: StreamRequest, parameters: PyValue, source: inout ByteSource, initial: [UInt8]) async throws {
        let argv: [String]
        do {
            argv = try await command(for: request, parameters)
        } catch let refusal as SessionRefusal {
            peer.logger.warning("\(request.name) refused: \(refusal.reason)")
            try await peer.outbound.write(ByteBuffer(string: refusal.reason + "\n"))
            return
        }
        let terminal = parameters["tty_mode"]?.boolValue == true ? Self.windowSize(parameters["win_size"]) : nil
        let term = terminal == nil ? nil : (parameters["env"]?["TERM"]?.stringValue ?? "xterm")
        let process: SessionProcess
        do {
            process = try SessionProcess.start(argv, terminal: terminal, term: term)
        } catch {
            peer.logger.error("\(request.name): \(error)")
            try await peer.outbound.write(ByteBuffer(string: "Server error: \(error)\n"))
            return
        }
        peer.logger.debug("\(request.name) session", metadata: ["pid": "\(process.pid)", "program": "\(argv[0])"])
        try await SessionRelay(peer: peer, logger: peer.logger).run(process, source: &source, initial: initial)
    }

    private func command(for request: StreamRequest, _ parameters: PyValue) async throws -> [String] {
        let commands = SessionCommand(keys: daemon.nodeKeys)
        switch request {
        case .sqlPrompt:
            // Upstream's `psql walt`: the same database the daemon uses, embedded or not. Not
            // to the platform's nodes: an experiment's code must not reach the server's state.
            if let ip = peer.remoteAddress?.ipAddress, try await DeviceQueries(daemon: daemon).info(ip: ip)?.type == "node" {
                throw SessionRefusal(reason: "The SQL prompt is not served to nodes.")
            }
            return ["psql", daemon.store.config.conninfo]
        case .nodeCommand:
            let ip = try await knownNode(parameters["node_ip"])
            let arguments = (parameters["cmdargs"]?.sequenceItems ?? []).compactMap(\.stringValue)
            return commands.nodeCommand(ip: ip, arguments: arguments, terminal: parameters["ssh_tty"]?.boolValue == true)
        case .tarToNode:
            let ip = try await knownNode(parameters["node_ip"])
            return commands.tarToNode(ip: ip, directory: try text(parameters["dst_dir"], "dst_dir"))
        case .tarFromNode:
            let ip = try await knownNode(parameters["node_ip"])
            return commands.tarFromNode(ip: ip, path: try text(parameters["src_path"], "src_path"),
                                        name: try text(parameters["dst_name"], "dst_name"))
        case .devicePing:
            return SessionCommand.ping(try await knownDevice(parameters["device_ip"]))
        case .deviceShell:
            return SessionCommand.deviceShell(try await knownDevice(parameters["device_ip"]),
                                              user: parameters["user"]?.stringValue)
        default:
            throw SessionRefusal(reason: "\(request.name) is not served by this daemon yet.")
        }
    }

    private func knownNode(_ value: PyValue?) async throws -> String {
        let ip = try text(value, "node_ip")
        guard try await DeviceQueries(daemon: daemon).info(ip: ip)?.type == "node" else {
            throw SessionRefusal(reason: "No node has IP \(ip).")
        }
        try daemon.nodeKeys.ensure()
        return ip
    }

    private func knownDevice(_ value: PyValue?) async throws -> String {
        let ip = try text(value, "device_ip")
        guard try await DeviceQueries(daemon: daemon).info(ip: ip) != nil else {
            throw SessionRefusal(reason: "No device has IP \(ip).")
        }
        return ip
    }

    private func text(_ value: PyValue?, _ name: String) throws -> String {
        guard let text = value?.stringValue, !text.isEmpty, !text.hasPrefix("-") else {
            throw SessionRefusal(reason: "Invalid or missing parameter '\(name)'.")
        }
        return text
    }

    /// The client's `win_size`: an `array('h', [rows, cols, xpixels, ypixels])` (or the same
    /// 8 bytes raw); 24x80 when absent or odd.
    static func windowSize(_ value: PyValue?) -> winsize {
        var fields: [Int16] = []
        if case .array(let array)? = value {
            fields = array.values
        } else if let bytes = value?.bytesValue, bytes.count >= 8 {
            fields = stride(from: 0, to: 8, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
        }
        guard fields.count >= 2, fields[0] > 0, fields[1] > 0 else {
            return winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        }
        return winsize(ws_row: UInt16(fields[0]), ws_col: UInt16(fields[1]),
                       ws_xpixel: UInt16(clamping: fields.count > 2 ? Int(fields[2]) : 0),
                       ws_ypixel: UInt16(clamping: fields.count > 3 ? Int(fields[3]) : 0))
    }
}

/// A session the server will not start, with the line the client is shown.
struct SessionRefusal: Error {
    let reason: String
}
