import Testing
import WaltCommon

@testable import WaltClient

/// `~/.walt/config`: the YAML subset, upstream's layout, password coding, legacy keys.
@Suite struct ConfigTests {
    /// What upstream's `ConfigFileSaver.printed()` wrote (captured from walt-client 10.0).
    static let upstreamLayout = """

        # WalT configuration file
        # ***********************
        # This file was automatically generated.
        # You are allowed to edit the configuration values if needed.
        # However, instead of changing a value, you should consider removing the
        # related line instead. This would cause the walt client to prompt for this value
        # again, your new entry would pass an appropriate validity check, and this file
        # would be generated again accordingly.


        # WalT platform
        # -------------
        walt:
            # IP or hostname of WalT server
            server: '10.0'
            # WalT user name used to identify your work
            username: 'yes'

        # Credentials for container registries
        # ------------------------------------
        registries:
            # Docker Hub credentials
            hub:
                username: alice
                # (password value is encoded.)
                password: 21242d365539
            # Credentials for registry "local"
            local:
                username: bob
                # (password value is encoded.)
                password: 22013d370a6d57702636


        """

    @Test func testRendered_matchesUpstreamLayout() throws {
        var config = WaltConfig()
        config.server = "10.0"
        config.username = "yes"
        config.setRegistryCredentials("hub", username: "alice", password: "secret")
        config.setRegistryCredentials("local", username: "bob", password: "p@ss: w#rd")
        #expect(config.rendered() == Self.upstreamLayout)
    }

    @Test func testRendered_withoutRegistries_keepsTheEmptyGroup() {
        var config = WaltConfig()
        config.server = "walt-server.example"
        config.username = "alice"
        #expect(config.rendered().hasSuffix("""
            walt:
                # IP or hostname of WalT server
                server: walt-server.example
                # WalT user name used to identify your work
                username: alice

            # Credentials for container registries
            # ------------------------------------
            registries:


            """))
    }

    @Test func testParse_readsBackWhatItWrites() throws {
        let (config, migrated) = try WaltConfig.parse(Self.upstreamLayout)
        #expect(!migrated)
        #expect(config.server == "10.0")
        #expect(config.username == "yes")
        #expect(config.registryCredentials("hub") == ("alice", "secret"))
        #expect(config.registryCredentials("local") == ("bob", "p@ss: w#rd"))
        #expect(config.rendered() == Self.upstreamLayout)
    }

    @Test func testParse_minimalFileAndFastLoadComment() throws {
        let text = "walt:\n    server: 127.0.0.9   # mine\n    username: alice\n\n\n# -- walt auto-generated data --\n# fast-load: 0123abcdgASV\n"
        let (config, _) = try WaltConfig.parse(text)
        #expect(config.server == "127.0.0.9")
        #expect(config.username == "alice")
    }

    @Test func testParse_quotedScalars() throws {
        let text = "walt:\n  server: \"h\\xE9\\u00e9\\\"x\"\n  username: 'it''s'\n"
        let (config, _) = try WaltConfig.parse(text)
        #expect(config.server == "héé\"x")
        #expect(config.username == "it's")
    }

    @Test func testParse_legacyFlatKeysAreMigrated() throws {
        let (config, migrated) = try WaltConfig.parse("server: s1\nusername: bob\npassword: 21242d365539\n")
        #expect(migrated)
        #expect(config.server == "s1")
        #expect(config.username == "bob")
        #expect(config.registryCredentials("hub") == ("bob", "secret"))
    }

    /// A file saved with Windows line ends (an editor, a provisioning tool): PyYAML reads
    /// it, and so do we; line numbers in errors still count lines.
    @Test func testParse_windowsLineEnds() throws {
        let (config, _) = try WaltConfig.parse("walt:\r\n    server: 127.0.0.9\r\n    username: alice\r\n")
        #expect(config.server == "127.0.0.9")
        #expect(config.username == "alice")
        #expect(throws: ConfigError.self) { try WaltConfig.parse("walt:\r\n    server: a: b\r\n") }
        do {
            _ = try WaltConfig.parse("walt:\r\n    server: a: b\r\n")
        } catch {
            #expect(error.description == "line 2: a value cannot contain ': ' unless it is quoted")
        }
    }

    @Test func testParse_emptyAndMissing() throws {
        #expect(try WaltConfig.parse("").config.server == nil)
        #expect(try WaltConfig.parse("walt:\n    server:\n").config.server == nil)
        #expect(try WaltConfig.parse("---\nwalt:\n    username: a\n").config.username == "a")
    }

    @Test(arguments: [
        ("walt:\n\tserver: x\n", "line 2: tabs are not allowed in indentation"),
        ("walt:\n    server: x\n      username: y\n", "line 3: unexpected indentation (server already has a value)"),
        ("walt:\n    server: x\n  username: y\n", "line 3: unexpected indentation"),
        ("walt:\n    - a\n", "line 2: lists are not supported"),
        ("walt: {server: x}\n", "line 1: flow collections are not supported"),
        ("walt:\n    server: 'x\n", "line 2: unterminated quoted string"),
        ("walt:\n    server: a: b\n", "line 2: a value cannot contain ': ' unless it is quoted"),
        ("just text\n", "line 1: expected 'key: value'"),
        ("walt:\n    server: \"\\q\"\n", "line 2: unknown escape '\\q' in a double-quoted string"),
        ("walt:\n    server: 'x' y\n", "line 2: unexpected text after the value of server"),
        ("a: &x 1\n", "line 1: anchors, aliases and tags are not supported"),
        ("registries:\n    hub:\n        password: zz\n", "line 3: this password is not encoded the way walt writes it"),
    ])
    func testParse_malformed_namesTheLine(text: String, message: String) {
        #expect(throws: ConfigError.self) { try WaltConfig.parse(text) }
        do {
            _ = try WaltConfig.parse(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func testPasswordCoding_asUpstream() {
        #expect(PasswordCoding.encode("secret") == "21242d365539")
        #expect(PasswordCoding.decode("21242d365539") == "secret")
        let long = String(repeating: "pé", count: 40)
        #expect(PasswordCoding.decode(PasswordCoding.encode(long)) == long)
        #expect(PasswordCoding.decode("2") == nil)
    }

    @Test(arguments: [
        ("a b", "a b"), ("a: b", "'a: b'"), ("#x", "'#x'"), ("x #y", "'x #y'"), ("-x", "-x"), ("- x", "'- x'"),
        ("123", "'123'"), ("1.5", "'1.5'"), ("0x1F", "'0x1F'"), ("null", "'null'"), ("~", "'~'"), ("", "''"),
        ("on", "'on'"), ("y", "y"), ("it's", "it's"), (" lead", "' lead'"), ("a:b", "a:b"), ("é", "\"\\xE9\""),
        ("2001:db8::1", "2001:db8::1"), ("192.168.1.1", "192.168.1.1"), ("1_000", "'1_000'"), ("1e5", "1e5"),
        (".5", "'.5'"), ("@x", "'@x'"), ("a,b", "a,b"), ("x]", "x]"), ("'x", "'''x'"), ("?x", "?x"),
        ("tab\tx", "\"tab\\tx\""), ("True", "'True'"), (".inf", "'.inf'"), ("12:30", "'12:30'"), ("1:2:3", "'1:2:3'"),
        ("21242d365539", "21242d365539"), ("walt-server", "walt-server"), ("2024-01-02", "'2024-01-02'"),
    ])
    func testScalarStyle_asPyYAML(text: String, rendered: String) {
        #expect(YAMLScalarStyle.render(text) == rendered)
    }
}
