import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// Values a fake server's threads hand to the test.
final class Recorder<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Value] = []

    func add(_ value: Value) {
        lock.lock()
        items.append(value)
        lock.unlock()
    }

    var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

/// The node commands through the built binary against a scripted server: RPC calls in
/// upstream's order, the parameters of each stream, what the user sees and the status.
@Suite(.serialized) struct ClientNodeCommandsTests {
    static let owned: PyValue = .tuple([.tuple(["n1"]), .tuple([]), .tuple([]), .tuple([])])

    /// Answers for a node `n1` (and `n2`) the user owns, booted.
    static func nodeAnswers(_ call: FakeWaltServer.Call) -> PyValue? {
        switch call.path {
        case "filter_ownership": return owned
        case "get_nodes_ip": return call.args == ["n1,n2"] ? .tuple(["192.0.2.10", "192.0.2.11"]) : .tuple(["192.0.2.10"])
        case "get_node_ip": return "192.0.2.10"
        case "blink": return true
        default: return PyValue.none
        }
    }

    @Test func testRun_withoutTerminal_relaysRawBytesAndHalfCloses_nodeAfterNode() throws {
        let streams = Recorder<(PyValue?, [UInt8])>()
        let server = try FakeWaltServer(answer: Self.nodeAnswers) { stream in
            guard stream.readRequest() == .nodeCommand else { return }
            stream.send("READY\n")
            let parameters = stream.readPickle()
            stream.send("output of node cmd\n")
            let input = stream.readToEOF()
            streams.add((parameters, input))
            stream.send("got \(input.count) bytes\n")
        }
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "run", "n1,n2", "--", "echo", "it's", "hi"],
                                          home: try server.makeHome(), stdin: "some stdin\n")
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "")
        #expect(outcome.stdout == "output of node cmd\ngot 11 bytes\n" + "output of node cmd\ngot 0 bytes\n")
        #expect(server.callPaths == ["filter_ownership", "get_nodes_ip", "wait_for_nodes"])
        #expect(server.calls.allSatisfy { $0.args == ["n1,n2"] })
        let recorded = streams.values
        try #require(recorded.count == 2)
        #expect(recorded[0].0 == .dict([
            ("node_ip", "192.0.2.10"), ("cmdargs", .tuple(["echo", "it's", "hi"])), ("ssh_tty", false), ("tty_mode", false),
        ]))
        #expect(recorded[1].0?["node_ip"] == "192.0.2.11")
        #expect(recorded[0].1 == Array("some stdin\n".utf8))
    }

    @Test func testRun_term_setsSSHTTY_andShellRefusesSeveralNodes() throws {
        let parameters = Recorder<PyValue?>()
        let server = try FakeWaltServer(answer: Self.nodeAnswers) { stream in
            _ = stream.readRequest()
            stream.send("READY\n")
            parameters.add(stream.readPickle())
        }
        defer { server.stop() }
        let home = try server.makeHome()
        let run = try WaltProcess.run(["node", "run", "--term", "n1", "uptime"], home: home)
        #expect(run.status == 0)
        #expect(parameters.values.first??["ssh_tty"] == true)
        #expect(parameters.values.first??["cmdargs"] == .tuple(["uptime"]))
        let shell = try WaltProcess.run(["node", "shell", "n1,n2"], home: home)
        #expect(shell.status == 0)
        #expect(shell.stderr == "Error: this command must target 1 node only.\n")
        #expect(parameters.values.count == 1)
    }

    @Test func testShell_withoutTerminal_printsTheCautionFirst() throws {
        let parameters = Recorder<PyValue?>()
        let server = try FakeWaltServer(answer: Self.nodeAnswers) { stream in
            _ = stream.readRequest()
            stream.send("READY\n")
            parameters.add(stream.readPickle())
            stream.send("fake-shell$ ")
        }
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "shell", "n1"], home: try server.makeHome())
        #expect(outcome.stdout == NodeActions.shellMessage + "\n" + "fake-shell$ ")
        #expect(parameters.values.first == .dict([
            ("node_ip", "192.0.2.10"), ("cmdargs", .tuple([])), ("ssh_tty", true), ("tty_mode", false),
        ]))
        #expect(server.callPaths == ["filter_ownership", "get_nodes_ip", "wait_for_nodes"])
    }

    @Test func testRun_notOwnedAndDeclined_stopsBeforeTheStream() throws {
        let server = try FakeWaltServer(answer: { call in
            call.path == "filter_ownership" ? .tuple([.tuple([]), .tuple([]), .tuple(["n1"]), .tuple([])]) : PyValue.none
        })
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "run", "n1", "true"], home: try server.makeHome(), stdin: "n\n")
        #expect(outcome.status == 0)
        #expect(outcome.stderr == "Warning: node n1 seems to be used by another user.\n")
        #expect(outcome.stdout == "Are you sure? (y/n): Aborted.\n")
        #expect(server.callPaths == ["filter_ownership"])
    }

    @Test func testWait_timeout_andNodeBooted() throws {
        let server = try FakeWaltServer(answer: { call in
            call.path == "wait_for_nodes" && call.args == ["n1"] ? Optional<PyValue>.none : PyValue.none   // n1 never boots
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let start = Date()
        let late = try WaltProcess.run(["node", "wait", "--timeout", "1", "n1"], home: home)
        let elapsed = Date().timeIntervalSince(start)
        #expect(late.status == 1)
        #expect(late.stdout == "Timeout was reached.\n")
        // At least the timeout; the upper bound only tells "it did not wait for the node",
        // generous for a loaded machine.
        #expect(elapsed >= 1 && elapsed < 25)
        let booted = try WaltProcess.run(["node", "wait", "n2"], home: home)
        #expect(booted.status == 0)
        #expect(booted.stdout == "")
        #expect(server.calls == [
            .init(path: "wait_for_nodes", args: ["n1"], kwargs: []), .init(path: "wait_for_nodes", args: ["n2"], kwargs: []),
        ])
        let interrupted = try WaltProcess.run(["node", "wait", "n1"], home: home, interruptAfter: 0.5)
        #expect(interrupted.status == 1)
        #expect(interrupted.stdout == "\n")
    }

    @Test func testReboot_blink_ping() throws {
        let pings = Recorder<PyValue?>()
        let server = try FakeWaltServer(answer: Self.nodeAnswers) { stream in
            guard stream.readRequest() == .devicePing else { return }
            stream.send("READY\n")
            pings.add(stream.readPickle())
            stream.send("64 bytes from 192.0.2.10\n")
        }
        defer { server.stop() }
        let home = try server.makeHome()
        let reboot = try WaltProcess.run(["node", "reboot", "--hard", "n1"], home: home)
        #expect(reboot.status == 0)
        #expect(server.calls == [
            .init(path: "filter_ownership", args: ["n1"], kwargs: []),
            .init(path: "reboot_nodes", args: ["n1"], kwargs: [("hard_only", true)]),
        ])
        let blink = try WaltProcess.run(["node", "blink", "n1", "1"], home: home)
        #expect(blink.status == 0)
        #expect(blink.stdout == "blinking for 1s... \ndone.\n")
        #expect(server.calls.dropFirst(2) == [
            .init(path: "wait_for_nodes", args: ["n1"], kwargs: []),
            .init(path: "blink", args: ["n1", true], kwargs: []),
            .init(path: "blink", args: ["n1", false], kwargs: []),
        ])
        let badDuration = try WaltProcess.run(["node", "blink", "n1", "soon"], home: home)
        #expect(badDuration.status == 0)
        #expect(badDuration.stderr == "<duration> must be an integer (number of seconds).\n")
        let aborted = try WaltProcess.run(["node", "blink", "n1", "30"], home: home, interruptAfter: 0.7)
        #expect(aborted.status == 1)
        #expect(aborted.stdout == "blinking for 30s... \nAborted.\n")
        #expect(server.calls.last == .init(path: "blink", args: ["n1", false], kwargs: []))
        let ping = try WaltProcess.run(["node", "ping", "n1"], home: home)
        #expect(ping.status == 0)
        #expect(ping.stdout == "64 bytes from 192.0.2.10\n")
        #expect(pings.values == [.dict([("device_ip", "192.0.2.10"), ("tty_mode", false)])])
        #expect(server.calls.last?.path == "get_node_ip")
    }
}

/// `walt node cp` both ways and to the booted image, `walt device` ping/shell, and the
/// expose relay, against the scripted server.
@Suite(.serialized) struct ClientTransferCommandsTests {
    static func validation(_ source: String, _ destination: String, toNode: Bool, directory: String,
                           ownership: String = "owned") -> PyValue {
        .dict([
            ("status", "OK"), ("node_ownership", .str(ownership)), ("node_name", "n1"), ("node_ip", "192.0.2.10"),
            ("node_image", "alice/img:latest"), ("client_operand_index", .int(toNode ? 0 : 1)),
            ("src_path", .str(source)), ("dst_dir", .str(directory)), ("dst_name", "copied"),
        ])
    }

    @Test func testCopyToNode_sendsOurTarAfterTheParameters() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try TarTests.makeTree(in: root)
        let received = Recorder<(PyValue?, [UInt8])>()
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_node_cp": return Self.validation(tree.path, "/root/x", toNode: true, directory: "/root/x")
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .tarToNode else { return }
            stream.send("READY\n")
            let parameters = stream.readPickle()
            let tar = stream.readToEOF()
            received.add((parameters, tar))
            stream.send("tar: a warning from the node\n")
        }
        defer { server.stop() }
        let outcome = try WaltProcess.run(["node", "cp", tree.path, "n1:/root/x"], home: try server.makeHome())
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Transfering... \\\r"))
        #expect(outcome.stdout.contains("tar: a warning from the node\n\n"))
        #expect(outcome.stdout.hasSuffix("Transfering... done\n"))
        #expect(server.calls == [
            .init(path: "validate_node_cp", args: [.str(tree.path), "n1:/root/x"], kwargs: []),
            .init(path: "wait_for_nodes", args: ["n1"], kwargs: []),
        ])
        let (parameters, tar) = try #require(received.values.first)
        #expect(parameters == .dict([
            ("dst_dir", "/root/x"), ("dst_name", "copied"), ("src_path", .str(tree.path)), ("status", "OK"),
            ("node_ownership", "owned"), ("node_name", "n1"), ("node_ip", "192.0.2.10"), ("node_image", "alice/img:latest"),
        ]))
        #expect(tar == (try TarTests.archive(tree.path, as: "copied")))
    }

    @Test func testCopyFromNode_unpacksTheServersTar_andNotOwnedAsksFirst() throws {
        let root = try TarTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = try TarTests.makeTree(in: root)
        let (status, _) = try TarTests.run(["tar", "-cf", "node.tar", "--transform", "s,^src,copied,", "src"], in: root)
        #expect(status == 0)
        let nodeTar = [UInt8](try Data(contentsOf: root.appendingPathComponent("node.tar")))
        let destination = root.appendingPathComponent("here")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let parameters = Recorder<PyValue?>()
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_node_cp":
                return Self.validation("/etc/x", destination.path, toNode: false, directory: destination.path, ownership: "not_owned")
            default: return PyValue.none
            }
        }) { stream in
            guard stream.readRequest() == .tarFromNode else { return }
            stream.send("READY\n")
            parameters.add(stream.readPickle())
            stream.send(nodeTar)
        }
        defer { server.stop() }
        let home = try server.makeHome()
        let declined = try WaltProcess.run(["node", "cp", "n1:/etc/x", destination.path], home: home, stdin: "n\n")
        #expect(declined.status == 1)
        #expect(declined.stdout == "Warning: n1 seems to be used by another user.\nAre you sure? (y/n): Aborted.\n")
        let outcome = try WaltProcess.run(["node", "cp", "n1:/etc/x", destination.path], home: home, stdin: "y\n")
        #expect(outcome.status == 0, "\(outcome.stdout)")
        #expect(outcome.stdout.hasSuffix("Transfering... done\n"))
        #expect(try TarTests.listing(destination.appendingPathComponent("copied")) == TarTests.listing(tree))
        #expect(parameters.values.first??["status"] == "OK")
        #expect(parameters.values.first??["client_operand_index"] == nil)
    }

    @Test func testCopy_failedValidationAndBootedImage() throws {
        let server = try FakeWaltServer(answer: { call in
            switch call.path {
            case "validate_node_cp" where call.args.last == "booted-image":
                return .dict([("status", "OK"), ("node_ownership", "owned"), ("node_name", "n1"), ("client_operand_index", 1),
                              ("src_path", "/etc/hostname"), ("dst_dir", "/etc"), ("dst_name", "hostname")])
            case "validate_node_cp": return .dict([("status", "FAILED")])
            default: return PyValue.none
            }
        })
        defer { server.stop() }
        let home = try server.makeHome()
        let failed = try WaltProcess.run(["node", "cp", "nowhere", "n1:/x"], home: home)
        #expect(failed.status == 1)
        let booted = try WaltProcess.run(["node", "cp", "n1:/etc/hostname", "booted-image"], home: home)
        #expect(booted.status == 0)
        #expect(server.calls.suffix(2) == [
            .init(path: "wait_for_nodes", args: ["n1"], kwargs: []),
            .init(path: "node_cp_to_booted_image", args: ["n1"],
                  kwargs: [("src_path", "/etc/hostname"), ("dst_dir", "/etc"), ("dst_name", "hostname")]),
        ])
    }

    @Test func testDeviceShellAndPing() throws {
        let parameters = Recorder<(StreamRequest?, PyValue?)>()
        let server = try FakeWaltServer(answer: { call in
            switch (call.path, call.args.first?.stringValue) {
            case ("get_device_info", "sw1"): return .dict([("name", "sw1"), ("type", "switch"), ("ip", "192.0.2.2")])
            case ("get_device_info", "n1"): return .dict([("name", "n1"), ("type", "node"), ("ip", "192.0.2.10")])
            case ("get_device_ip", _): return "192.0.2.2"
            default: return PyValue.none
            }
        }) { stream in
            let request = stream.readRequest()
            stream.send("READY\n")
            parameters.add((request, stream.readPickle()))
            stream.send("switch> ")
        }
        defer { server.stop() }
        let home = try server.makeHome()
        let node = try WaltProcess.run(["device", "shell", "n1"], home: home)
        #expect(node.status == 1)
        #expect(node.stdout == "n1 is a node. Use 'walt node shell n1' instead.\n")
        let asked = try WaltProcess.run(["device", "shell", "sw1"], home: home, stdin: "\n")
        #expect(asked.status == 0)
        #expect(asked.stdout == "SSH user name: switch> ")
        let given = try WaltProcess.run(["device", "shell", "--user", "admin", "sw1"], home: home)
        #expect(given.status == 0)
        let ping = try WaltProcess.run(["device", "ping", "sw1"], home: home)
        #expect(ping.status == 0)
        #expect(parameters.values.map(\.0) == [.deviceShell, .deviceShell, .devicePing])
        #expect(parameters.values.map(\.1) == [
            .dict([("device_ip", "192.0.2.2"), ("user", "root"), ("tty_mode", false)]),
            .dict([("device_ip", "192.0.2.2"), ("user", "admin"), ("tty_mode", false)]),
            .dict([("device_ip", "192.0.2.2"), ("tty_mode", false)]),
        ])
    }

    @Test func testExpose_relaysBothWaysThroughTheStream() throws {
        // In process, on loopback: the stream server answers OK, then echoes in upper case.
        let requests = Recorder<PyValue?>()
        let server = try FakeWaltServer(answer: { _ in PyValue.none }) { stream in
            guard stream.readRequest() == .tcpToNode else { return }
            let parameters = stream.readPickle()
            requests.add(parameters)
            guard parameters?["node_port"] == 80 else {
                stream.send("Could not connect to 192.0.2.10:81!\n")
                return
            }
            stream.send("OK\nbanner\n")
            let received = stream.readToEOF()
            stream.send(Array(String(decoding: received, as: UTF8.self).uppercased().utf8))
        }
        defer { server.stop() }
        let output = Recorder<String>()
        for (port, expected) in [(80, "banner\nHELLO NODE\n"), (81, "")] {
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0 }
            }
            let localPort = Int(UInt16(bigEndian: address.sin_port))
            close(probe)
            var exposer = TCPExposer(endpoint: .init(host: server.address), nodeIP: "192.0.2.10", nodePort: port,
                                     localPort: localPort, writeOutput: { output.add($0) }, writeError: { output.add($0) })
            exposer.bindAddress = "127.0.0.1"
            let signals = SignalPipe([SIGUSR1])
            let done = Recorder<TCPExposer.Outcome>()
            nonisolated(unsafe) let (running, watched) = (exposer, signals)
            let runner = Thread { done.add((try? running.run(signals: watched)) ?? .couldNotListen) }
            runner.start()
            var reply = [UInt8]()
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            for _ in 0..<100 {
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                if connected == 0 { break }
                usleep(20_000)
            }
            _ = send(client, "hello node\n", 11, 0)
            shutdown(client, Int32(SHUT_WR))
            var chunk = [UInt8](repeating: 0, count: 1024)
            while true {
                let count = recv(client, &chunk, chunk.count, 0)
                guard count > 0 else { break }
                reply += chunk[..<count]
            }
            close(client)
            #expect(String(decoding: reply, as: UTF8.self) == expected)
            kill(getpid(), SIGUSR1)
            while done.values.isEmpty { usleep(10_000) }
            signals.restore()
            #expect(done.values == [.signaled(SIGUSR1)])
        }
        #expect(requests.values == [
            .dict([("node_ip", "192.0.2.10"), ("node_port", 80)]), .dict([("node_ip", "192.0.2.10"), ("node_port", 81)]),
        ])
        #expect(output.values == ["New connection forwarded to node.\n", "Could not connect to 192.0.2.10:81!\n"])
    }

    @Test func testExpose_portInUse() throws {
        let server = try FakeWaltServer(answer: { call in call.path == "get_node_ip" ? "192.0.2.10" : PyValue.none })
        defer { server.stop() }
        let busy = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(busy) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(busy, $0, length) == 0 && getsockname(busy, $0, &length) == 0 }
        }
        listen(busy, 1)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try WaltProcess.run(["node", "expose", "n1", "80", String(port)], home: try server.makeHome())
        #expect(outcome.status == 1)
        #expect(outcome.stdout == "Listening on TCP port \(port) and redirecting connections to n1:80.\n")
        #expect(outcome.stderr == "Could not open TCP port \(port): [Errno 98] Address already in use\n")
        #expect(server.callPaths == ["get_node_ip", "wait_for_nodes"])
    }
}
