import Foundation
import Testing

/// The node commands against simulated nodes that run an ssh server and the node service on
/// TCP 12346, through the real services of a testbed, with our client and the Python
/// client 10.0: run, cp both ways, shell through a pty, reboot and wait, ping, expose,
/// blink, netsetup=NAT.
@Suite(.serialized, .enabled(if: Testbed.available && Testbed.nodeToolsAvailable,
                             "needs root, the boot path's packages, dropbear, ssh and expect (Scripts/install-deps.sh)"))
struct NodeCommandsTests {
    /// Both clients, each with its own HOME; the name says which failed.
    struct Clients {
        let testbed: Testbed
        let ours: String
        let python: String

        var all: [(name: String, path: String, home: URL)] {
            get throws {
                [("ours", ours, try testbed.home("ours")), ("python", python, try testbed.home("python"))]
            }
        }

        func run(_ client: (name: String, path: String, home: URL), _ arguments: [String],
                 stdin: String? = nil) throws -> WaltBinary.Outcome {
            try WaltBinary.run(["netns", "exec", testbed.namespace, client.path] + arguments, executable: "/usr/sbin/ip",
                               environment: ["HOME": client.home.path], stdin: stdin)
        }
    }

    @Test func nodeCommandsWithBothClients() throws {
        let testbed = try Testbed()
        defer { testbed.down() }
        let nodes = ["n1": ("pc-x86-64", "02:57:41:00:01:01"), "n2": ("rpi-3-b-plus", "02:57:41:00:01:02")]
        var names: [String: String] = [:]
        for (node, (model, mac)) in nodes.sorted(by: { $0.key < $1.key }) {
            let outcome = try testbed.script(["node", testbed.directory.path, node, model, mac])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            names[node] = "\(node)-\(mac.split(separator: ":").suffix(3).joined())"
        }
        let (n1, n2) = (names["n1"]!, names["n2"]!)
        let clients = Clients(testbed: testbed, ours: testbed.directory.appendingPathComponent("bin/walt").path,
                              python: try PythonClient.locate())
        let ours = try clients.all[0]
        #expect(try testbed.waitFor("two booted nodes") {
            let show = try clients.run(ours, ["node", "show", "--all"]).stdout
            return [n1, n2].allSatisfy { name in
                show.split(separator: "\n").contains { $0.hasPrefix(name + " ") && $0.trimmingCharacters(in: .whitespaces).hasSuffix("yes") }
            }
        })

        for client in try clients.all {
            // run: the node's own hostname (its UTS namespace, not the host's); the command
            // line is joined with spaces for the node's shell to parse, as upstream.
            let hostname = try clients.run(client, ["node", "run", n1, "hostname"])
            #expect(hostname.status == 0 && hostname.stdout == "n1\n", "\(client.name): \(hostname)")
            let shellSyntax = try clients.run(client, ["node", "run", n2, "--", "echo", "$((6*7))", "|", "tr", "4", "X"])
            #expect(shellSyntax.stdout == "X2\n", "\(client.name): \(shellSyntax)")
            let stdin = try clients.run(client, ["node", "run", n2, "--", "wc", "-c"], stdin: "twelve bytes")
            #expect(stdin.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "12", "\(client.name): \(stdin)")
            let both = try clients.run(client, ["node", "run", "\(n1),\(n2)", "cat", "/proc/sys/kernel/hostname"])
            #expect(both.stdout == "n1\nn2\n", "\(client.name): \(both)")

            // cp: a directory to the node and back, identical.
            let local = testbed.directory.appendingPathComponent("cp-\(client.name)")
            try FileManager.default.createDirectory(at: local.appendingPathComponent("tree/sub"), withIntermediateDirectories: true)
            try "one\n".write(to: local.appendingPathComponent("tree/a.txt"), atomically: true, encoding: .utf8)
            try "two\n".write(to: local.appendingPathComponent("tree/sub/b.txt"), atomically: true, encoding: .utf8)
            let put = try clients.run(client, ["node", "cp", local.appendingPathComponent("tree").path, "\(n1):/root/"])
            #expect(put.status == 0, "\(client.name): \(put)")
            let listed = try clients.run(client, ["node", "run", n1, "cat", "/root/tree/a.txt", "/root/tree/sub/b.txt"])
            #expect(listed.stdout == "one\ntwo\n", "\(client.name): \(listed)")
            let back = local.appendingPathComponent("back")
            let get = try clients.run(client, ["node", "cp", "\(n1):/root/tree", back.path])
            #expect(get.status == 0, "\(client.name): \(get)")
            #expect((try? String(contentsOf: back.appendingPathComponent("sub/b.txt"), encoding: .utf8)) == "two\n")
            let missing = try clients.run(client, ["node", "cp", "\(n1):/no/such/path", local.path])
            #expect(missing.status == 1 && missing.stderr.contains("No such file or directory: /no/such/path"),
                    "\(client.name): \(missing)")

            // shell through a pty: a command runs, its output shows, exit closes cleanly.
            // (On an image, the shell is busybox ash, which asks the terminal where the
            // cursor is, ESC [6n, right after its prompt.)
            let marker = "shell-\(client.name)"
            let session = try expect(testbed, client, """
                spawn \(client.path) node shell \(n1)
                expect -re {# (\\x1b\\[6n)?$}
                send "echo \(marker) > /root/shell.txt; echo done-\\$((1+1))\\r"
                expect "done-2"
                expect -re {# (\\x1b\\[6n)?$}
                send "exit\\r"
                expect "closed."
                expect eof
                """)
            #expect(session.status == 0, "\(client.name): \(session)")
            #expect(session.stdout.contains("Caution: changes outside /persist will be lost on next node reboot."))
            #expect(try clients.run(client, ["node", "run", n1, "cat", "/root/shell.txt"]).stdout == "\(marker)\n")

            // ping: from the server, bounded to 10 replies.
            let ping = try clients.run(client, ["node", "ping", n2])
            #expect(ping.stdout.contains("10 packets transmitted, 10 received"), "\(client.name): \(ping)")
        }

        // expose: a connection to the local port reaches a TCP server on the node.
        for (index, client) in try clients.all.enumerated() {
            let nodePort = 8000 + index, localPort = 18000 + index
            try testbed.startInNode("n2", ["sh", "-c", "echo from-node-\(index) | busybox nc -l -p \(nodePort) > /tmp/expose-\(index).in"])
            let reply = try testbed.exposeRoundTrip(client.path, home: client.home, node: n2, nodePort: nodePort,
                                                    localPort: localPort, send: "from-client-\(index)")
            #expect(reply.contains("from-node-\(index)"), "\(client.name): \(reply)")
            #expect(try testbed.waitFor("the node got the bytes") {
                try testbed.script(["exec", testbed.directory.path, "n2", "--", "cat", "/tmp/expose-\(index).in"])
                    .stdout.contains("from-client-\(index)")
            })
        }

        // blink: the node service turns the LED state on, then off.
        for client in try clients.all {
            let blink = try clients.run(client, ["node", "blink", n2, "1"])
            #expect(blink.status == 0 && blink.stdout.contains("blinking for 1s...") && blink.stdout.hasSuffix("done.\n"),
                    "\(client.name): \(blink)")
        }

        // reboot, then wait: the node goes down and comes back through its boot sequence;
        // the platform log has the cause. ("ok" in lower case: upstream's sentence goes
        // through Python's str.capitalize().)
        for client in try clients.all {
            let reboot = try clients.run(client, ["node", "reboot", n2])
            #expect(reboot.status == 0 && reboot.stdout.contains("Node \(n2): rebooted ok."), "\(client.name): \(reboot)")
            let wait = try clients.run(client, ["node", "wait", n2])
            #expect(wait.status == 0, "\(client.name): \(wait)")
            #expect(try clients.run(client, ["node", "run", n2, "echo", "back"]).stdout == "back\n")
        }
        let platform = try clients.run(ours, ["log", "show", "--history", "full", "--platform"]).stdout
        #expect(platform.contains("node \(n2) is down (cause: reboot requested, method: soft-reboot)"), "\(platform)")

        // netsetup=NAT: after a reboot the node routes through the server, and chain WALT
        // lets it out; LAN nodes stay without a default route.
        let restartsBefore = testbed.restarts("dhcpd")
        #expect(try clients.run(ours, ["node", "config", n1, "netsetup=NAT"]).status == 0)
        #expect(try testbed.waitFor("the NAT rule") {
            try testbed.inServer(["iptables", "-S", "WALT"], home: ours.home).stdout.contains("-A WALT -s 10.213.0.")
        })
        #expect(try testbed.waitFor("dhcpd with the NAT entry") { try testbed.dhcpdConf().contains("option routers 10.213.0.1;") })
        #expect(try testbed.waitFor("dhcpd restarted") { testbed.restarts("dhcpd") > restartsBefore })
        #expect(try clients.run(ours, ["node", "reboot", n1]).status == 0)
        #expect(try clients.run(ours, ["node", "wait", n1]).status == 0)
        #expect(try clients.run(ours, ["node", "run", n1, "ip", "route"]).stdout.contains("default via 10.213.0.1"))
        #expect(!(try clients.run(ours, ["node", "run", n2, "ip", "route"]).stdout.contains("default")))

        // A node that is gone: reboot reports both failures (and exits 0, as upstream's
        // reboot command just returns; lower case from Python's str.capitalize()).
        try testbed.script(["kill-node", testbed.directory.path, "n2"])
        for client in try clients.all {
            let dead = try clients.run(client, ["node", "reboot", n2])
            // A powered-off board does not answer: the connection times out after 15 s, or,
            // once the server's ARP entry for it has failed, the kernel says no route to host.
            let reasons = ["connection timed out", "no route to host"].map {
                "Node \(n2): failed soft-reboot (\($0)) and poe-reboot (unknown lldp network position)"
            }
            #expect(dead.status == 0 && reasons.contains { dead.stderr.contains($0) }, "\(client.name): \(dead)")
        }
    }

    /// Runs an expect script (a pty for the client) in the server's namespace.
    private func expect(_ testbed: Testbed, _ client: (name: String, path: String, home: URL),
                        _ script: String) throws -> WaltBinary.Outcome {
        let file = testbed.directory.appendingPathComponent("session-\(client.name).exp")
        try ("set timeout 20\n" + script + "\n").write(to: file, atomically: true, encoding: .utf8)
        return try testbed.inServer(["expect", "-f", file.path], home: client.home)
    }
}

extension Testbed {
    static var nodeToolsAvailable: Bool {
        ["/usr/sbin/dropbear", "/usr/bin/ssh", "/usr/bin/expect", "/usr/sbin/iptables", "/usr/bin/ping"]
            .allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }

    /// Starts `command` in a node's namespaces and leaves it running (the node's end of a
    /// test connection).
    func startInNode(_ node: String, _ command: [String]) throws {
        let outcome = try script(["exec", directory.path, node, "--", "sh", "-c",
                                  "setsid " + command.map(Self.shellWord).joined(separator: " ") + " > /dev/null 2>&1 < /dev/null &"])
        guard outcome.status == 0 else { throw DaemonHarness.HarnessError(message: "cannot start in \(node): \(outcome.stdout)") }
        usleep(300_000)
    }

    /// `walt node expose` in the server's namespace, one connection to its local port that
    /// sends `send`, and what came back; the expose client is stopped afterwards.
    func exposeRoundTrip(_ walt: String, home: URL, node: String, nodePort: Int, localPort: Int, send: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, walt, "node", "expose", node, String(nodePort), String(localPort)]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let code = """
            import socket, sys, time
            for attempt in range(50):
                try:
                    s = socket.create_connection(("127.0.0.1", \(localPort)), timeout=5)
                    break
                except OSError:
                    time.sleep(0.2)
            s.sendall(b"\(send)\\n")
            s.settimeout(10)
            print(s.recv(100).decode())
            """
        return try inServer(["python3", "-c", code], home: home).stdout
    }

    static func shellWord(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }
}
