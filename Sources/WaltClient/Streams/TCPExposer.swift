#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt node expose` and `walt device expose` (upstream's `TCPExposer`): listen on a
/// local TCP port; each connection opens a `REQ_TCP_TO_NODE` stream (no READY: the pickled
/// `{node_ip, node_port}`, then one status line, `OK` or the server's error text) and is
/// relayed both ways until it ends. Runs until a signal arrives (Ctrl-C).
struct TCPExposer {
    enum Outcome: Equatable {
        /// The port could not be opened (reported).
        case couldNotListen
        case signaled(Int32)
    }

    let endpoint: StreamConnection.Endpoint
    /// As the server gave it (passed through, as upstream).
    let nodeIP: PyValue
    let nodePort: Int
    let localPort: Int
    /// `0.0.0.0` as upstream (tests use loopback).
    var bindAddress = "0.0.0.0"
    let writeOutput: (String) -> Void
    let writeError: (String) -> Void

    private final class Forward {
        let client: Int32
        let node: StreamConnection
        let relay: SocketRelay

        init(client: Int32, node: StreamConnection) {
            self.client = client
            self.node = node
            relay = SocketRelay(client, node.fd, initialToFirst: node.takePending())
        }

        deinit { close(client) }
    }

    /// Listens and forwards until one of `signals` arrives; a stream the server refuses
    /// prints its message, a server that cannot be reached at all ends the command.
    func run(signals: SignalPipe) throws(ClientError) -> Outcome {
        guard let listener = listen() else { return .couldNotListen }
        defer { close(listener) }
        var forwards: [Forward] = []
        while true {
            var fds = [
                pollfd(fd: signals.readEnd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            ]
            for forward in forwards { fds += forward.relay.pollEntries }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                throw ClientError("poll failed: \(String(cString: strerror(errno)))")
            }
            if fds[0].revents != 0, let signal = signals.take().first { return .signaled(signal) }
            for (index, forward) in forwards.enumerated() {
                forward.relay.handle(fds[(2 + 2 * index)..<(4 + 2 * index)])
            }
            forwards.removeAll { $0.relay.isFinished }
            if fds[1].revents & Int16(POLLIN) != 0, let forward = try accept(listener) {
                forwards.append(forward)
            }
        }
    }

    /// Upstream's `server_socket`: SO_REUSEADDR, bound to all addresses, backlog 256.
    private func listen() -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return listenFailed(errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: localPort).bigEndian)
        inet_pton(AF_INET, bindAddress, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard (0...65535).contains(localPort), bound == 0, Glibc.listen(fd, 256) == 0 else {
            let code = errno
            close(fd)
            return listenFailed(code)
        }
        return fd
    }

    private func listenFailed(_ code: Int32) -> Int32? {
        writeError("Could not open TCP port \(localPort): \(Self.describeListenError(code, port: localPort))\n")
        return nil
    }

    /// Python says `bind(): port must be 0-65535.` (an OverflowError) for ports out of range.
    static func describeListenError(_ code: Int32, port: Int) -> String {
        port < 0 || port > 65535 ? "bind(): port must be 0-65535." : OSErrorText.describe(code)
    }

    /// Upstream's `event_on_server_s` and `open_channel_to_node`.
    private func accept(_ listener: Int32) throws(ClientError) -> Forward? {
        let client = Glibc.accept(listener, nil, nil)
        guard client >= 0 else { return nil }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        let node: StreamConnection
        do {
            node = try StreamConnection(endpoint, request: .tcpToNode)
        } catch {
            close(client)
            throw error
        }
        node.sendPickle(.strDict(["node_ip": nodeIP, "node_port": .int(PyInt(nodePort))]))
        let status = Self.stripped(node.readLine() ?? [])
        guard status == "OK" else {
            close(client)
            writeOutput(status + "\n")
            return nil
        }
        writeOutput("New connection forwarded to node.\n")
        return Forward(client: client, node: node)
    }

    /// Python's `bytes.strip().decode()`.
    static func stripped(_ line: [UInt8]) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0d).contains($0) }
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: line[first...last], as: UTF8.self)
    }
}
