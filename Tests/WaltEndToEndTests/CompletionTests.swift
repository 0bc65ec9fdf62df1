import Foundation
import Testing

/// Shell completion: the scripts `walt advanced dump-bash-autocomplete` /
/// `dump-zsh-autocomplete` print, run in a real bash, and the server's `shell_autocomplete`
/// through our `walt-autocomplete-helper` beside the Python client 10.0's.
@Suite(.serialized) struct CompletionTests {
    /// What a script says about one command path.
    struct Section: Equatable, CustomStringConvertible {
        var subcommands: Set<String> = []
        var options: Set<String> = []
        var valued: [String: String] = [:]
        var positionalCount = 0
        var types: [Int: String] = [:]
        var description: String { "subs=\(subcommands.sorted()) opts=\(options.sorted()) valued=\(valued) nargs=\(positionalCount) types=\(types)" }
    }

    static func captures(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (1..<match.numberOfRanges).map { String(text[Range(match.range(at: $0), in: text)!]) }
        }
    }

    /// Parses the `case` branches of a script, upstream's layout or ours.
    static func sections(of script: String) -> [String: Section] {
        var result: [String: Section] = [:]
        var path: String?
        var current = Section()
        for line in script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let header = captures(#"^        "(walt[^"]*)"\*\)$"#, in: line).first {
                path = header[0]
                current = Section()
                continue
            }
            guard let open = path else { continue }
            let body = line.trimmingCharacters(in: .whitespaces)
            if body == ";;" {
                result[open] = current
                path = nil
            } else if let value = captures(#"^(?:subapps|subs)="(.*)"$"#, in: body).first {
                current.subcommands = Set(value[0].split(separator: " ").map(String.init))
            } else if let value = captures(#"^(?:options|opts)="(.*)"$"#, in: body).first {
                current.options = Set(value[0].split(separator: " ").map(String.init))
            } else if body.hasPrefix("valued_option_types=(") {
                for pair in captures(#"\["(--[^"]+)"\]="([^"]+)""#, in: body) { current.valued[pair[0]] = pair[1] }
            } else if let pair = captures(#"^valued\[(--[^\]]+)\]=(\S+)$"#, in: body).first {
                current.valued[pair[0]] = pair[1]
            } else if let value = captures(#"^(?:num_positional_args|nargs)=(\d+)$"#, in: body).first {
                current.positionalCount = Int(value[0])!
            } else if body.hasPrefix("positional_arg_types=(") {
                for pair in captures(#"\["(\d+)"\]="([^"]+)""#, in: body) { current.types[Int(pair[0])!] = pair[1] }
            } else if let pair = captures(#"^types\[(\d+)\]=(\S+)$"#, in: body).first {
                current.types[Int(pair[0])!] = pair[1]
            }
        }
        return result
    }

    @Test func testBashScript_describesTheSameCommandTreeAsUpstream() throws {
        let python = try PythonClient.locate()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("walt-completion-\(getpid())")
        defer { try? FileManager.default.removeItem(at: home) }
        let theirs = try WaltBinary.run(["advanced", "dump-bash-autocomplete"], executable: python, environment: ["HOME": home.path])
        let ours = try WaltBinary.run(["advanced", "dump-bash-autocomplete"], personality: "walt")
        #expect(theirs.status == 0 && ours.status == 0)
        let expected = Self.sections(of: theirs.stdout), actual = Self.sections(of: ours.stdout)
        #expect(expected.count > 60, "upstream's script parsed: \(expected.count) sections")
        #expect(Set(actual.keys) == Set(expected.keys))
        for (path, section) in expected {
            #expect(actual[path] == section, "\(path)")
        }
    }

    @Test func testScripts_areValidShell() throws {
        for (command, shell) in [("dump-bash-autocomplete", "/bin/bash"), ("dump-zsh-autocomplete", "/usr/bin/zsh")] {
            guard FileManager.default.isExecutableFile(atPath: shell) else { continue }  // zsh is optional here
            let script = try WaltBinary.run(["advanced", command], personality: "walt")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("walt-\(command)-\(getpid())")
            defer { try? FileManager.default.removeItem(at: file) }
            try script.stdout.write(to: file, atomically: true, encoding: .utf8)
            let check = try WaltBinary.run(["-n", file.path], executable: shell)
            #expect(check.status == 0, "\(shell) -n: \(check.stderr)")
        }
    }

    /// Sources our bash script with a stand-in helper on PATH, then asks for candidates.
    @Test func testBashScript_completesLocallyAndAsksTheHelperForServerValues() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("walt-bash-completion-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = try WaltBinary.run(["advanced", "dump-bash-autocomplete"], personality: "walt")
        try script.stdout.write(to: directory.appendingPathComponent("walt.bash"), atomically: true, encoding: .utf8)
        let helper = directory.appendingPathComponent("walt-autocomplete-helper")
        try """
            #!/bin/sh
            printf '%s|' "$@" >> "\(directory.path)/calls"; echo >> "\(directory.path)/calls"
            case $1 in NODE) echo "n1 n2";; fail) exit 1;; *) echo "";; esac
            """.write(to: helper, atomically: true, encoding: .utf8)
        chmod(helper.path, 0o755)
        let driver = """
            source "\(directory.path)/walt.bash"
            t() { _walt_candidates "$@" && echo "$_walt_reply" || echo FAILED; }
            t walt ""
            t walt node ""
            t walt node reboot --h
            t walt log show --history ""
            t walt help show log-h
            t walt node shell n
            t walt node cp ./a "n1:/tm"
            t walt node config n1 ram=1G ""
            t walt node run n1 --term
            COMP_WORDS=(walt node sh); COMP_CWORD=2; _walt_complete; echo "${COMPREPLY[*]}"
            """
        let outcome = try WaltBinary.run(["-c", driver], executable: "/bin/bash",
                                         environment: ["PATH": directory.path + ":/usr/bin:/bin"])
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 10, "\(outcome.stdout)\(outcome.stderr)")
        guard lines.count >= 10 else { return }
        #expect(lines[0] == "image node log device advanced help")
        #expect(lines[1].hasPrefix("show acquire release boot shell run cp"))
        #expect(lines[2] == "--help --hard")
        #expect(lines[3] == "")  // HISTORY_RANGE comes from the stand-in helper: empty
        #expect(lines[4].split(separator: " ").contains("log-history"))
        #expect(lines[5] == "n1 n2")
        #expect(lines[6] == "")
        #expect(lines[7] == "")
        #expect(lines[8] == "--help --term")
        #expect(lines[9] == "show shell")
        let calls = try String(contentsOf: directory.appendingPathComponent("calls"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        // The helper gets the type, then every word up to the partial one.
        #expect(calls.contains("HISTORY_RANGE|walt|log|show|--history||"))
        #expect(calls.contains("NODE|walt|node|shell|n|"))
        #expect(calls.contains("NODE_CP_DST|walt|node|cp|./a|n1:/tm|"))
        #expect(calls.contains("NODE_CONFIG_PARAM|walt|node|config|n1|ram=1G||"))
    }

    /// `shell_autocomplete` on our daemon, asked by our helper and by the Python client's.
    @Test func testHelpers_getTheSameAnswersFromTheDaemon() throws {
        let daemon = try DaemonHarness()
        defer { daemon.stop() }
        let alice = try PythonClient(server: daemon.address, username: "alice", in: daemon.stateDirectory)
        for lease in [
            ["commit", "walt.node.rpi-3-b", "", "192.168.152.7", "b8:27:eb:12:34:56", "", "0", "unknown"],
            ["commit", "walt.node.rpi-3-b", "", "192.168.152.8", "b8:27:eb:12:34:57", "", "0", "unknown"],
            ["commit", "", "", "192.168.152.30", "00:11:22:33:44:55", "", "0", "unknown"],
        ] {
            #expect(try daemon.dhcpEvent(lease).status == 0)
        }
        #expect(try alice.run(["log", "add-checkpoint", "cp1"]).status == 0)
        let pythonHelper = URL(fileURLWithPath: alice.executable).deletingLastPathComponent()
            .appendingPathComponent("walt-autocomplete-helper").path
        let cases: [(argv: [String], expected: String)] = [
            (["NODE", "walt", "node", "shell", "node-1234"], "node-123456 node-123457"),
            (["SET_OF_NODES", "walt", "node", "reboot", "node-123456,my"], "node-123456,my-nodes node-123456,my-nodes,"),
            (["SET_OF_DEVICES", "walt", "device", "config", "unk"], "unknown-334455 unknown-334455,"),
            (["NODE_CONFIG_PARAM", "walt", "node", "config", "node-123456", "netset"], "netsetup=a netsetup=b"),
            (["HISTORY_RANGE", "walt", "log", "show", "--history", ""], "full none -<relative-time>: : cp1:"),
            (["HISTORY_RANGE", "walt", "log", "show", "--history", "cp1:"], "cp1:-<relative-time> cp1: cp1:cp1"),
            (["LOG_CHECKPOINT", "walt", "log", "remove-checkpoint", "c"], "cp1"),
            (["IMAGE_CLONE_URL", "walt", "image", "clone", "walt:"], "walt:waltplatform/rpi-3-b-default:latest"),
            (["NODE_CP_SRC", "walt", "node", "cp", "node-123456"], "node-123456:a node-123456:b"),
            (["PORT_CONFIG_PARAM", "walt", "device", "port-config", "sw", "1", ""], "name=a name=b"),
        ]
        for (argv, expected) in cases {
            let ours = try WaltBinary.run(argv, personality: "walt-autocomplete-helper", environment: ["HOME": alice.home.path])
            #expect(ours.status == 0, "\(argv): \(ours.stderr)")
            #expect(ours.stdout == expected + "\n", "ours, \(argv)")
            if argv[0] != "IMAGE_CLONE_URL" && argv[0] != "NODE_CP_SRC" {  // upstream adds hub locations / local paths
                let theirs = try WaltBinary.run(argv, executable: pythonHelper, environment: ["HOME": alice.home.path])
                #expect(theirs.stdout == expected + "\n", "python helper, \(argv): \(theirs.stderr)")
            }
        }
        // No configuration: exit 1 and nothing on stdout, so the shell proposes nothing.
        let empty = daemon.stateDirectory.appendingPathComponent("home-nobody")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let failed = try WaltBinary.run(["NODE", "walt", "node", "shell", ""], personality: "walt-autocomplete-helper",
                                        environment: ["HOME": empty.path])
        #expect(failed.status == 1 && failed.stdout.isEmpty)
    }
}
