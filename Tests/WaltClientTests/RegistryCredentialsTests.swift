import Foundation
import Testing
import WaltCommon

@testable import WaltClient

/// The registry credential callbacks driven end to end: a scripted server plays upstream's
/// `publish_image` (fetch the encrypted credentials; when there are none, ask the client
/// to prompt, then fetch again) and `registry_login` (fetch them, accept one password);
/// the client answers through its real link and callbacks, in process (scripted terminal)
/// and as the built `walt` (on a pseudo-terminal, and with stdin not a terminal).
@Suite(.serialized) struct RegistryCredentialsTests {
    /// The server side: its Diffie-Hellman key, the password its registry accepts, and
    /// every credentials dict the client sent, decrypted the way upstream's server does.
    final class Registry: @unchecked Sendable {
        let key = DiffieHellman()
        let acceptedPassword: String
        let serverKeyValue: PyValue?
        /// Raw `get_registry_encrypted_credentials` answers (non-None), in order.
        let answers = Recorder<PyValue>()
        /// (username, password) decrypted from each answer.
        let decrypted = Recorder<[String]>()
        /// What `get_registry_username` answered after a prompt.
        let usernames = Recorder<PyValue>()

        init(accepting password: String, serverKey: PyValue? = nil) {
            acceptedPassword = password
            serverKeyValue = serverKey
        }

        func credentials(_ label: PyValue, _ requester: CallbackFakeServer.Requester) throws -> [String]? {
            let answer = try requester.call("get_registry_encrypted_credentials", [label, serverKeyValue ?? .int(key.publicKey)])
            guard !answer.isNone else { return nil }
            answers.add(answer)
            guard case .int(let clientKey)? = answer["client_pub_key"], case .bytes(let encrypted)? = answer["encrypted_password"],
                  let username = answer["username"]?.stringValue, let secret = key.sharedSecret(with: clientKey),
                  let password = CredentialCipher(secret: secret).decrypt(encrypted)
            else { throw FakeWaltServer.Failure(description: "undecryptable credentials \(answer)") }
            decrypted.add([username, password])
            return [username, password]
        }

        func script(_ call: CallbackFakeServer.Call, _ requester: CallbackFakeServer.Requester) throws -> PyValue {
            let label = call.args.first ?? "hub"
            switch call.path {
            case "get_registries":
                return .tuple([.tuple(["hub", "Docker Hub"])])
            case "publish_image":
                var creds = try credentials(label, requester)
                if creds == nil {
                    _ = try requester.call("prompt_missing_registry_credentials", [label])
                    usernames.add(try requester.call("get_registry_username", [label]))
                    creds = try credentials(label, requester)
                }
                guard let creds, call.args.count == 2, let image = call.args[1].stringValue else { return .tuple([false]) }
                return .tuple([true, .str("docker.io/\(creds[0])/\(image):latest")])
            case "registry_login":
                if try credentials(label, requester)?[1] == acceptedPassword { return true }
                _ = try requester.call("stdout.write", [.str("Sorry, \(label.stringValue ?? "") registry login FAILED.\n")])
                return false
            default:
                return .none
            }
        }
    }

    /// A HOME whose config names `server` and user alice, plus `extra` lines.
    static func home(_ server: String, extra: String = "") throws -> URL {
        let home = URL(fileURLWithPath: "/tmp/wrc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".walt"), withIntermediateDirectories: true)
        try "walt:\n    server: \(server)\n    username: alice\n\(extra)"
            .write(to: home.appendingPathComponent(".walt/config"), atomically: true, encoding: .utf8)
        return home
    }

    /// What the client runs in process: a link to `server` with a scripted terminal.
    struct Client {
        let link: RPCServerLink
        let file: ConfigFile
        let output: Recorder<String>

        init(_ server: CallbackFakeServer, home: URL, typing lines: [String], interactive: Bool = true) throws {
            file = ConfigFile(home: home.path)
            let config = try #require(try file.load()).config
            let output = Recorder<String>()
            var remaining = lines
            let next: () -> String? = { remaining.isEmpty ? nil : remaining.removeFirst() }
            let terminal = Terminal(write: output.add, read: next, askSecret: { output.add($0); return next() })
            let registries = RegistryCredentials(config: config, file: file, terminal: terminal, interactive: interactive)
            link = try RPCServerLink.connect(config, busy: false, writeOutput: output.add, writeError: { output.add("ERR:" + $0) },
                                             registries: registries)
            self.output = output
        }

        var shown: String { output.values.joined() }
    }

    @Test func promptThenLogin_retriesUntilAccepted_savesAndAnswersTheRetry() throws {
        let registry = Registry(accepting: "s3cret")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try Client(server, home: home, typing: ["", "bob", "wrong", "bob", "s3cret"])
        let result = try client.link.call("publish_image", ["hub", "img"])
        #expect(result == .tuple([true, "docker.io/bob/img:latest"]))
        let path = client.file.path
        #expect(client.shown == """
            Docker hub credentials are missing or invalid. Please enter them below.
            username: username: password: 
            Testing provided configuration...
            Sorry, hub registry login FAILED.

            username: password: 
            Testing provided configuration...
            OK.


            Configuration was updated in \(path).


            """)
        // registry_login ran nested in the prompt callback, twice; each login and the
        // publish retry decrypted what was typed; the username callback saw it at once.
        #expect(server.calls.map(\.path) == ["publish_image", "registry_login", "registry_login"])
        #expect(registry.decrypted.values == [["bob", "wrong"], ["bob", "s3cret"], ["bob", "s3cret"]])
        #expect(registry.usernames.values == ["bob"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.expectedFile(server.address, hub: ("bob", "s3cret")))
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        // The wire format: exactly these keys, in upstream's order and types.
        let answer = try #require(registry.answers.values.last)
        guard case .dict(let items) = answer else { Issue.record("not a dict: \(answer)"); return }
        #expect(items.map(\.key) == ["username", "encrypted_password", "client_pub_key"])
        #expect(answer["username"] == "bob")
        guard case .bytes(let encrypted)? = answer["encrypted_password"], case .int(let clientKey)? = answer["client_pub_key"] else {
            Issue.record("wrong value types: \(answer)")
            return
        }
        #expect(encrypted.count == 8)
        #expect(clientKey.bitLength > 2000 && clientKey != registry.key.publicKey)
    }

    @Test func credentialsInTheConfig_areSentWithoutPrompting() throws {
        let registry = Registry(accepting: "unused")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let coded = PasswordCoding.encode("p@ss: w#rd €")
        let home = try Self.home(server.address, extra: "registries:\n    hub:\n        username: carol\n        password: \(coded)\n")
        defer { try? FileManager.default.removeItem(at: home) }
        let before = try String(contentsOfFile: home.path + "/.walt/config", encoding: .utf8)
        let client = try Client(server, home: home, typing: [])
        #expect(try client.link.call("publish_image", ["hub", "img"]) == .tuple([true, "docker.io/carol/img:latest"]))
        #expect(registry.decrypted.values == [["carol", "p@ss: w#rd €"]])
        #expect(client.shown.isEmpty)
        #expect(try String(contentsOfFile: home.path + "/.walt/config", encoding: .utf8) == before)
    }

    /// `prompt_missing_registry_credentials` for a registry whose username is there does
    /// nothing (upstream looks at the username only); another label gets upstream's other
    /// wording and password prompt, and its own group in the file.
    @Test func otherRegistryLabel_wordingAndLayout() throws {
        let registry = Registry(accepting: "tok-123")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try Client(server, home: home, typing: ["dave", "tok-123"])
        #expect(try client.link.call("publish_image", ["local", "img"]) == .tuple([true, "docker.io/dave/img:latest"]))
        #expect(client.shown.hasPrefix("""
            Credentials for access to "local" registry are missing or invalid. Please enter them below.
            username: password (or token): 
            Testing provided configuration...
            OK.
            """))
        #expect(try String(contentsOfFile: client.file.path, encoding: .utf8)
            == Self.expectedFile(server.address, local: ("dave", "tok-123")))
        #expect(try client.link.call("publish_image", ["local", "img2"]) == .tuple([true, "docker.io/dave/img2:latest"]))
        #expect(server.calls.map(\.path) == ["publish_image", "registry_login", "publish_image"])
    }

    @Test func notInteractive_endsTheCallWithOneClearError() throws {
        let registry = Registry(accepting: "s3cret")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try Client(server, home: home, typing: ["bob", "s3cret"], interactive: false)
        let path = client.file.path
        #expect(throws: ClientError("Docker hub credentials are missing from \(path) and stdin is not a terminal to ask for them; "
                                    + "run the command once in a terminal, which saves them there")) {
            try client.link.call("publish_image", ["hub", "img"])
        }
        #expect(client.shown.isEmpty)
        #expect(throws: ClientError.self) { try client.link.call("get_registries") }
        #expect(server.calls.map(\.path) == ["publish_image"])
    }

    @Test func invalidServerKey_isAnError() throws {
        let registry = Registry(accepting: "x", serverKey: .int(1))
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address, extra: "registries:\n    hub:\n        username: bob\n        password: 21\n")
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try Client(server, home: home, typing: [])
        #expect(throws: ClientError("the server sent an invalid Diffie-Hellman public key for the hub registry credentials")) {
            try client.link.call("publish_image", ["hub", "img"])
        }
    }

    /// The built `walt` on a pseudo-terminal: the prompts show, the password is typed with
    /// echo off and never shown, and the file is saved.
    @Test func realBinary_onATerminal() throws {
        let registry = Registry(accepting: "s3cret")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let pty = try PtyProcess(["image", "publish", "img"], environment: PtySessionTests.environment(home: home))
        #expect(pty.waitFor("Please enter them below.\r\nusername: "), "shown: \(pty.shownText)")
        pty.type("bob\r")
        #expect(pty.waitFor("password: "), "shown: \(pty.shownText)")
        #expect(pty.settings.c_lflag & tcflag_t(ECHO) == 0, "echo is on at the password prompt")
        pty.type("s3cret\r")
        let status = pty.waitForExit()
        #expect(status == 0, "status \(String(describing: status)), shown: \(pty.shownText)")
        #expect(pty.settings.c_lflag & tcflag_t(ECHO) != 0)
        #expect(!pty.shownText.contains("s3cret"))
        #expect(pty.shownText.contains("OK.\r\n\r\n\r\nConfiguration was updated in \(home.path)/.walt/config.\r\n"))
        #expect(pty.shownText.contains("OK, image was published at:\r\ndocker.io/bob/img:latest\r\n"))
        #expect(registry.decrypted.values == [["bob", "s3cret"], ["bob", "s3cret"]])
        #expect(try String(contentsOfFile: home.path + "/.walt/config", encoding: .utf8)
            == Self.expectedFile(server.address, hub: ("bob", "s3cret")))
    }

    /// The built `walt` with stdin not a terminal: one line on stderr, status 1, the file
    /// untouched.
    @Test func realBinary_withoutATerminal() throws {
        let registry = Registry(accepting: "s3cret")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let outcome = try WaltProcess.run(["image", "publish", "img"], home: home, stdin: "bob\ns3cret\n")
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "walt: Docker hub credentials are missing from \(home.path)/.walt/config and stdin is not a "
                + "terminal to ask for them; run the command once in a terminal, which saves them there\n")
        #expect(outcome.stdout.isEmpty)
        #expect(try String(contentsOfFile: home.path + "/.walt/config", encoding: .utf8)
            == "walt:\n    server: \(server.address)\n    username: alice\n")
    }

    /// Live: upstream's own server-side code decrypts what the prompt sent, and upstream's
    /// `ConfigFileSaver` writes the same file and decodes its password.
    @Test(.enabled(if: UpstreamPython.available, "needs the Python client 10.0 (make python-client)"))
    func liveUpstreamDecryptsAndWritesTheSameFile() throws {
        let registry = Registry(accepting: "s3cr€t pw")
        let server = try CallbackFakeServer(script: registry.script)
        defer { server.stop() }
        let home = try Self.home(server.address)
        defer { try? FileManager.default.removeItem(at: home) }
        let client = try Client(server, home: home, typing: ["bob", "s3cr€t pw"])
        _ = try client.link.call("publish_image", ["hub", "img"])
        // The pickles that went over the wire, and the server's private key.
        let answers = registry.answers.values.map { PickleEncoder.encode($0).map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined() }
        let privateKey = DiffieHellman.pyInt(registry.key.privateKey).description
        let decrypted = try UpstreamPython.run("""
            import pickle, sys
            from walt.common.crypto.blowfish import BlowFish
            from walt.common.crypto.dh import DHPeer
            for code in sys.argv[2:]:
                creds = pickle.loads(bytes.fromhex(code))
                peer = DHPeer.__new__(DHPeer)
                peer.priv_key = int(sys.argv[1])
                peer.establish_session(creds["client_pub_key"])
                print(creds["username"], BlowFish(peer.symmetric_key).decrypt(creds["encrypted_password"]), sep=":")
            """, [privateKey] + answers)
        #expect(decrypted == "bob:s3cr€t pw\nbob:s3cr€t pw")
        let upstreamFile = try UpstreamPython.run("""
            import sys
            import walt.client.config as c
            from walt.common.config import load_conf
            from pathlib import Path
            conf = load_conf(Path(sys.argv[1]))
            c.set_conf(conf)
            print(c.decode(conf["registries"]["hub"]["password"]))
            conf["registries"]["hub"]["password"] = c.decode(conf["registries"]["hub"]["password"])
            sys.stdout.write(c.ConfigFileSaver().printed())
            """, [client.file.path])
        let saved = try String(contentsOfFile: client.file.path, encoding: .utf8)
        #expect(upstreamFile + "\n" == "s3cr€t pw\n" + saved)
    }

    /// The file after credentials for `hub` or `local` were saved, as upstream lays it out.
    static func expectedFile(_ server: String, hub: (String, String)? = nil, local: (String, String)? = nil) -> String {
        var config = WaltConfig()
        config.server = server
        config.username = "alice"
        if let hub { config.setRegistryCredentials("hub", username: hub.0, password: hub.1) }
        if let local { config.setRegistryCredentials("local", username: local.0, password: local.1) }
        return config.rendered()
    }
}
