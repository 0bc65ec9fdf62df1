import Foundation
import Logging
import NIOCore
import Testing
@testable import WaltServer
import WaltCommon

/// The pure parts of node sessions: the commands the daemon runs, its reading of the
/// client's window size, the node service's answers, `validate_node_cp`'s path helpers,
/// and the NAT chain text.
@Suite struct NodeSessionTests {
    static let keys = NodeKeys(stateDirectory: "/var/lib/walt")

    @Test func nodeCommandIsUpstreamsSSHWithOurKey() {
        let argv = SessionCommand(keys: Self.keys).nodeCommand(ip: "192.168.183.5", arguments: ["echo", "it's", "$HOME"], terminal: false)
        #expect(argv.first == "ssh")
        #expect(argv.suffix(2) == ["root@192.168.183.5", "echo it's $HOME"])
        #expect(!argv.contains("-t"))
        for option in ["PreferredAuthentications=publickey", "UserKnownHostsFile=/var/lib/walt/ssh/known_hosts.nodes",
                       "HostKeyAlias=walt.node", "ConnectTimeout=10", "ServerAliveInterval=5", "IdentitiesOnly=yes"] {
            #expect(argv.contains(option), "\(option)")
        }
        #expect(argv.contains("/var/lib/walt/ssh/id_rsa"))
        // An interactive shell: -t, and no remote command at all.
        let shell = SessionCommand(keys: Self.keys).nodeCommand(ip: "192.168.183.5", arguments: [], terminal: true)
        #expect(shell.suffix(2) == ["-t", "root@192.168.183.5"])
    }

    @Test func shellQuotingSurvivesAnyText() throws {
        for text in ["plain", "it's", "a'b'c", "", "$(rm -rf /)", "sp ace\ttab\nline", "'", "\"dq\""] {
            let quoted = SessionCommand.quoted(text)
            let echoed = try Subprocess(executable: "/bin/sh", arguments: ["-c", "printf '%s' " + quoted]).run()
            #expect(echoed.output == text, "\(text) -> \(quoted)")
        }
    }

    @Test func tarCommandsQuoteTheirPaths() {
        let commands = SessionCommand(keys: Self.keys)
        let receive = commands.tarToNode(ip: "10.0.0.2", directory: "/tmp/it's here")
        #expect(receive.last == "cd '/tmp/it'\"'\"'s here' && tar x")
        let relative = commands.tarToNode(ip: "10.0.0.2", directory: "./dir")
        #expect(relative.last == "cd '/root/./dir' && tar x")
        let send = commands.tarFromNode(ip: "10.0.0.2", path: "/etc/x", name: "y")
        #expect(send.last?.contains("src='/etc/x'; dst='y'") == true)
    }

    @Test func pingIsBounded() {
        #expect(SessionCommand.ping("10.0.0.2") == ["ping", "-c", "10", "-w", "11", "10.0.0.2"])
    }

    @Test func windowSizeFromTheClient() {
        let size = SessionStreamHandler.windowSize(PtyEvent.windowSize(rows: 40, columns: 120))
        #expect(size.ws_row == 40 && size.ws_col == 120)
        let raw = SessionStreamHandler.windowSize(.bytes([24, 0, 80, 0, 0, 0, 0, 0]))
        #expect(raw.ws_row == 24 && raw.ws_col == 80)
        let odd = SessionStreamHandler.windowSize(.str("40x120"))
        #expect(odd.ws_row == 24 && odd.ws_col == 80)
        let negative = SessionStreamHandler.windowSize(.array(PyArray([-1, 80, 0, 0])))
        #expect(negative.ws_row == 24)
    }

    @Test func nodeServiceAnswers() {
        #expect(NodeNetService.answer(Array("OK".utf8)) == "OK")
        #expect(NodeNetService.answer(Array("OK Closing on my side.".utf8)) == "OK")
        #expect(NodeNetService.answer(Array("KO /bin/blink unavailable or not executable on image\r".utf8))
                == "/bin/blink unavailable or not executable on image")
        #expect(NodeNetService.answer(Array("GARBAGE".utf8)) == "Node did not respond properly")
        #expect(NodeNetService.answer([]) == "Node did not respond properly")
    }

    /// Connect failures read as Python's strerror does, whatever NIO wraps them in.
    @Test func nodeServiceConnectFailures() {
        #expect(NodeNetService.connectFailure(IOError(errnoCode: EHOSTUNREACH, reason: "connect")) == "No route to host")
        #expect(NodeNetService.connectFailure(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "Connection refused")
        #expect(NodeNetService.connectFailure(ChannelError.connectTimeout(.seconds(15))) == "Connection timed out")
    }

    /// Only a parenthesis right after a word is a singular/plural choice, as upstream's regexp.
    @Test func rebootFailureKeepsItsReasons() {
        let line = SentenceFormat.format("%s: failed soft-reboot (connection refused) and PoE-reboot (unknown LLDP network position)",
                                         items: ["n1"], none: "No nodes", singular: "Node", plural: "Nodes")
        #expect(line == "Node n1: failed soft-reboot (connection refused) and poe-reboot (unknown lldp network position)")
        #expect(SentenceFormat.format("%s seems(seem) dead.", items: ["a", "b"], none: "", singular: "Node", plural: "Nodes")
                == "Nodes a and b seem dead.")
    }

    @Test func pythonPathCornerCases() {
        let cases: [(String, String, String)] = [
            ("/a/b", "/a", "b"), ("/a", "/", "a"), ("./x", ".", "x"), ("x", "", "x"), ("//a//b", "//a", "b"),
            ("/", "/", ""), ("./.", ".", "."),
        ]
        for (path, dirname, basename) in cases {
            #expect(PythonPath.dirname(path) == dirname, "dirname(\(path))")
            #expect(PythonPath.basename(path) == basename, "basename(\(path))")
        }
    }

    @Test func natChainAcceptsNATDevicesThenDrops() {
        #expect(NetSetupFirewall.chainText(natIPs: ["10.0.0.9", "10.0.0.3"]) == """
            *filter
            :WALT - [0:0]
            -F WALT
            -A WALT --source 10.0.0.3 --jump ACCEPT
            -A WALT --source 10.0.0.9 --jump ACCEPT
            -A WALT --jump DROP
            COMMIT

            """)
        let firewall = NetSetupFirewall(subnet: "192.168.183.0/24", interface: "walt-net", logger: Logger(label: "t"))
        #expect(firewall.baseRules.contains { $0.table == "nat" && $0.spec.contains("MASQUERADE") })
        #expect(firewall.baseRules.filter { $0.chain == "FORWARD" }.count == 3)
    }

    /// iptables-restore --test parses without changing anything.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/iptables-restore") && getuid() == 0,
                   "needs root and iptables"))
    func chainTextLoadsIntoARealFirewall() throws {
        let text = NetSetupFirewall.chainText(natIPs: ["10.0.0.3"])
        let outcome = try Subprocess(executable: "/bin/sh", arguments: ["-c", "printf '%s' \(SessionCommand.quoted(text)) | iptables-restore --test --noflush"]).run()
        #expect(outcome.succeeded, "\(outcome.output)")
    }
}

/// Children the daemon starts (service restarts, sessions) get their three streams only.
@Suite struct ChildDescriptorTests {
    @Test func aDescriptorWithoutCloseOnExecStaysWithTheDaemon() throws {
        let fd = open("/dev/null", O_RDONLY)   // no O_CLOEXEC, like NIO's accepted sockets
        defer { close(fd) }
        #expect(fd > 2)
        let listing = try Subprocess(executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"]).run()
        let open = listing.output.split(separator: "\n").compactMap { Int32($0) }
        #expect(open.contains(1) && !open.contains(fd), "\(open)")
    }
}
