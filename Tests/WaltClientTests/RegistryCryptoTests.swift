import Testing
import WaltCommon

@testable import WaltClient

/// The crypto of `get_registry_encrypted_credentials`: Blowfish against Eric Young's
/// published vectors, upstream's Blowfish wrapper and Diffie-Hellman group against values
/// produced by upstream's own Python code (`walt.common.crypto`, walt-common 10.0), and,
/// when the venv is there, live exchanges with that code.
@Suite struct RegistryCryptoTests {
    /// Eric Young's ECB vectors (schneier.com/code/vectors.txt): key, clear, cipher.
    static let ecbVectors: [(String, String, String)] = [
        ("0000000000000000", "0000000000000000", "4EF997456198DD78"),
        ("FFFFFFFFFFFFFFFF", "FFFFFFFFFFFFFFFF", "51866FD5B85ECB8A"),
        ("3000000000000000", "1000000000000001", "7D856F9A613063F2"),
        ("1111111111111111", "1111111111111111", "2466DD878B963C9D"),
        ("0123456789ABCDEF", "1111111111111111", "61F9C3802281B096"),
        ("1111111111111111", "0123456789ABCDEF", "7D0CC630AFDA1EC7"),
        ("0000000000000000", "0000000000000000", "4EF997456198DD78"),
        ("FEDCBA9876543210", "0123456789ABCDEF", "0ACEAB0FC6A0A28D"),
        ("7CA110454A1A6E57", "01A1D6D039776742", "59C68245EB05282B"),
        ("0131D9619DC1376E", "5CD54CA83DEF57DA", "B1B8CC0B250F09A0"),
        ("07A1133E4A0B2686", "0248D43806F67172", "1730E5778BEA1DA4"),
        ("3849674C2602319E", "51454B582DDF440A", "A25E7856CF2651EB"),
        ("04B915BA43FEB5B6", "42FD443059577FA2", "353882B109CE8F1A"),
        ("0113B970FD34F2CE", "059B5E0851CF143A", "48F4D0884C379918"),
        ("0170F175468FB5E6", "0756D8E0774761D2", "432193B78951FC98"),
        ("43297FAD38E373FE", "762514B829BF486A", "13F04154D69D1AE5"),
        ("07A7137045DA2A16", "3BDD119049372802", "2EEDDA93FFD39C79"),
        ("04689104C2FD3B2F", "26955F6835AF609A", "D887E0393C2DA6E3"),
        ("37D06BB516CB7546", "164D5E404F275232", "5F99D04F5B163969"),
        ("1F08260D1AC2465E", "6B056E18759F5CCA", "4A057A3B24D3977B"),
        ("584023641ABA6176", "004BD6EF09176062", "452031C1E4FADA8E"),
        ("025816164629B007", "480D39006EE762F2", "7555AE39F59B87BD"),
        ("49793EBC79B3258F", "437540C8698F3CFA", "53C55F9CB49FC019"),
        ("4FB05E1515AB73A7", "072D43A077075292", "7A8E7BFA937E89A3"),
        ("49E95D6D4CA229BF", "02FE55778117F12A", "CF9C5D7A4986ADB5"),
        ("018310DC409B26D6", "1D9D5C5018F728C2", "D1ABB290658BC778"),
        ("1C587F1C13924FEF", "305532286D6F295A", "55CB3774D13EF201"),
        ("0101010101010101", "0123456789ABCDEF", "FA34EC4847B268B2"),
        ("1F1F1F1F0E0E0E0E", "0123456789ABCDEF", "A790795108EA3CAE"),
        ("E0FEE0FEF1FEF1FE", "0123456789ABCDEF", "C39E072D9FAC631D"),
        ("0000000000000000", "FFFFFFFFFFFFFFFF", "014933E0CDAFF6E4"),
        ("FFFFFFFFFFFFFFFF", "0000000000000000", "F21E9A77B71C49BC"),
        ("0123456789ABCDEF", "0000000000000000", "245946885754369A"),
        ("FEDCBA9876543210", "FFFFFFFFFFFFFFFF", "6B5C5A9C5D9E0A5A"),
    ]

    /// Eric Young's variable key length vectors: the first n bytes (n = 4...24, Blowfish
    /// takes 4 at least) of the key below encrypt FEDCBA9876543210 to these.
    static let setKeyPrefix = "F0E1D2C3B4A5968778695A4B3C2D1E0F0011223344556677"
    static let setKeyCiphers = [
        "BE1E639408640F05", "B39E44481BDB1E6E", "9457AA83B1928C0D", "8BB77032F960629D", "E87A244E2CC85E82",
        "15750E7A4F4EC577", "122BA70B3AB64AE0", "3A833C9AFFC537F6", "9409DA87A90F6BF2", "884F80625060B8B4",
        "1F85031C19E11968", "79D9373A714CA34F", "93142887EE3BE15C", "03429E838CE2D14B", "A4299E27469FF67B",
        "AFD5AED1C1BC96A8", "10851C0E3858DA9F", "E6F51ED79B9DB21F", "64A6E14AFD36B46F", "80C7D7D45A5479AD",
        "05044B62FA52D080",
    ]

    // Values from upstream's code (walt-common 10.0, in the venv):
    //   r = random.Random(6); a = r.getrandbits(2048); b = r.getrandbits(2048)
    //   A = pow(DiffieHellman.g, a, DiffieHellman.p), B likewise, S = pow(B, a, DiffieHellman.p)
    //   BlowFish(S).encrypt(password).hex(); BlowFish(0x0123456789abcdef).encrypt("secret").hex()
    static let privateA = """
        18f918e24a8b0188cbe19514a28a0aaab3642b1932793637c16cf5c51801fd9ab31a5bf371f970cf401fe4fcce06294d\
        68f22599ccdf540b5cb53ec017d7ab26fd80206055e8b3eb6cb9185ed822e2f9168e5087af895f5b9c2c0ac2cda95957\
        a9b3d1a243f9300cba98666ace1c9c17b313fc7e8db9b92c903c2ac9316774fe181e290aae9af1698a0c510089ce5ef7\
        e91b4ad169fc5360df5ca32ebad5ccc232b7228fcd4a55577d24b39645cf8aa4059a91e1c527e27951c342505f877031\
        bc1e3ac1c27db4ecf72c2c26786295229623d7cfa9ae7a34254499c7001d9a88096d373742f9a039c320a4737c2b3abe\
        14a03569d26b949692e5dfe8cb1855fe
        """
    static let privateB = """
        a5e27d6e045df64a2b4cf14cc72ec6f03051b3900334b01b85ab0090b2beca81e0408802dd93fa0cd581460b35bb0a85\
        98eb7bce235ae280390567c27bd6aa42613b030a323bbeafb8109a544ff1a00144941663a9a967c19bb38b9c1de83405\
        32f9e2b08677a5f2adb9ce1be14cd8df800a4c9416f5c1ee1e9d19e796d2f9e05b7d3b0f4de8344e6e0012819a0c1b76\
        3eb17c275c832a51a22ba4d70746a9baea9238ebf9f3b65b80f1de02ce359204e474e007b2aa40b4f8540d95a502a86a\
        936d0e1e83c02da83197d4e2e8d5b9e3d52d5759eec7ddb57c9881b15c41d5c5e9a51fb2a7c88e4bd3f18766336c7fcd\
        e71b870396ac828f0bb1e330f38d2e64
        """
    static let publicA = """
        1e00ef933fbd35f7e462d1a8dd5f05fc3acb5b234c8bee0fec3934663d170d547c75b8322bfe808a7deb21de3056f024\
        bd92516b8345b7f8b0c96e5cafc098448482ceec54590bd4a5645be52e14b9d720fd7ff54258c84bda1a34d7f5e07ac5\
        eef0b79778980ebdf3bdd08750a3c504d13d9ae19709bc893448158044e17c5c34c3ef3ddc43ecd1068362de2482f563\
        5b42e4655c9ea59ec68c492b49f734e1cd0d155f68dfbcd1f72bb4874c318f05bd5828751c4e452e20fa6a2989986d21\
        0e82a356b455c7f2585518f32b461352fa7d243fc61a5c36ff0285216e8f90ced95ef499b0ec0b911d2863a6bc0c093a\
        0b015ebbbb56d192e8e5aabb0faeea80
        """
    static let publicB = """
        160fc9d9305d2f805324e20a62394390f8f47b4c94203be0315094fc8612ad46c6e5e9ab0db0bd5cf77734d65eb4f799\
        21b203950febdff091f337f52d0c87f2d5f82a054fa783534939f55fc3a594727cdfacfda51e21a44755123f4adf8814\
        648fd4f406486f60e0e24958196d18e8a4232f3302169a8dcc199d15de3f7078305f6ec0b002c532ea7db94ad2ca376c\
        865c7946471c57e02e7851d7ecdfb06b2a35e0e7516c1e70b636a5eabb5ff121798e1892e5d87a9932758ff2957ed697\
        28944e1386d09f601f66ea04e6422412ea603dc6d202bd02e078175c2145156aaf9850264673449ac08f759c875e97c7\
        99af16d61f4ca2235ffeac9d79268a62
        """
    static let secret = """
        49c919593b682a2365ef766016563cdf668acd0bb0794bfcc102a3e882358faaa7db6ede733c9369d45d7b075a2b1e75\
        1197c5114128118b23e84da864f58abaa8bbb1c66fb778ee99628a9c4eb581bc62c77e5f99ea109524c1eba518fe8ae7\
        d5ebea9be3cc4b2862bedabffa8a2bc425f9b6b5d8561b7910c3d0f55792d61604286604fbf63be86db3430cb9da92d4\
        12dcaea5f663e9eaba0d882b42025f7843bacd3e8fe61e2acbb34d154572464963eb40861f0aaaddb2b0ec861b5003f0\
        56cdaf00fdca443cdb54ec509006e20bdca650e0865a99554c26255b95b17ff33f4027ecfd9142b3c145821205a5d334\
        cf8d8f27e6983611e5e632c9f8873be9
        """
    /// (password, upstream's `BlowFish(secret).encrypt(password).hex()`)
    static let encrypted: [(String, String)] = [
        ("", "687f29f607807522"),
        ("a", "cb36450501fce98a"),
        ("secret", "f95275e66607ba5d"),
        ("12345678", "588b5723636c653d687f29f607807522"),
        ("p@ss: w#rd", "080084d63503a068b0e2f7c0fc159ded"),
        ("pässwörd€ 🔑", "f240c520cfbe834ad56519103f63d808a9967d3d612a54c1"),
        ("dckr_pat_0123456789abcdefghijklmnopqrstuv", "2c012eb3dce5a25c0240a38f42aebc7ac28c704d6f7a738f98b25386dc2c56665e0bb25a596ae27b317b645fd414d33d"),
    ]
    static let smallKeyEncrypted = "0742da05a93a29c4"
    /// p and g of RFC 5114 §2.3 in decimal, as Python prints `DiffieHellman.p` and `.g`.
    static let primeDecimal = "17125458317614137930196041979257577826408832324037508573393292981642667139747621778802438775238728592968344613589379932348475613503476932163166973813218698343816463289144185362912602522540494983090531497232965829536524507269848825658311420299335922295709743267508322525966773950394919257576842038771632742044142471053509850123605883815857162666917775193496157372656195558305727009891276006514000409365877218171388319923896309377791762590614311849642961380224851940460421710449368927252974870395873936387909672274883295377481008150475878590270591798350563488168080923804611822387520198054002990623911454389104774092183"
    static let generatorDecimal = "8041367327046189302693984665026706374844608289874374425728797669509435881459140662650215832833471328470334064628508692231999401840332046192569287351991689963279656892562484773278584208040987631569628520464069532361274047374444344996651832979378318849943741662110395995778429270819222431610927356005913836932462099770076239554042855287138026806960470277326229482818003962004453764400995790974042663675692120758726145869061236443893509136147942414445551848162391468541444355707785697825741856849161233887307017428371823608125699892904960841221593344499088996021883972185241854777608212592397013510086894908468466292313"
    /// str(A): Python's decimal of publicA.
    static let publicADecimal = "3787610629176851664166912235104196157123394583979476607551708957928664378756897082390175721864369683376942682342502521986551808787935902968011480959377453198197421720808382451646268060411563200998073565521776280791931079059679783604418614879111902687457279407309524136548641424732518371887432770799057373785651962177206807117766641750120241269227180362147949764865820133576310801879729491925911947775189463161261421757514931198300045731067951909794997907197682693896282280096403985471660692340282004696319990820052045476162108354833687659471723191671810780577231751433112366297622013412757083863687657978051035064960"

    @Test func blowfish_ericYoungECBVectors() {
        for (key, clear, cipher) in Self.ecbVectors {
            let blowfish = Blowfish(key: hexBytes(key))
            #expect(blowfish.encrypt(block(clear)) == block(cipher), "key \(key)")
            #expect(blowfish.decrypt(block(cipher)) == block(clear), "key \(key)")
        }
    }

    @Test func blowfish_ericYoungVariableKeyLengths() {
        let key = hexBytes(Self.setKeyPrefix)
        for (index, cipher) in Self.setKeyCiphers.enumerated() {
            let blowfish = Blowfish(key: Array(key.prefix(4 + index)))
            #expect(blowfish.encrypt(block("FEDCBA9876543210")) == block(cipher), "\(4 + index) key bytes")
        }
    }

    @Test func credentialCipher_equalsUpstreamsBlowfishWrapper() {
        let cipher = CredentialCipher(secret: hexBytes(Self.secret))
        for (password, encrypted) in Self.encrypted {
            #expect(hex(cipher.encrypt(password)) == encrypted, "\(password)")
            #expect(cipher.decrypt(hexBytes(encrypted)) == password)
        }
        // A secret shorter than 448 bits is zero-padded on the left, as hex(key) is.
        #expect(hex(CredentialCipher(secret: hexBytes("0123456789abcdef")).encrypt("secret")) == Self.smallKeyEncrypted)
        #expect(cipher.decrypt(hexBytes("687f29f6078075")) == nil)
        #expect(cipher.decrypt([]) == nil)
    }

    @Test func diffieHellman_groupAndKeysEqualUpstreams() {
        #expect(DiffieHellman.pyInt(DiffieHellman.prime).description == Self.primeDecimal)
        #expect(DiffieHellman.pyInt(DiffieHellman.generator).description == Self.generatorDecimal)
        let a = DiffieHellman(privateKey: DiffieHellman.limbs(hex: Self.privateA))
        let b = DiffieHellman(privateKey: DiffieHellman.limbs(hex: Self.privateB))
        #expect(a.publicKey.description == Self.publicADecimal)
        #expect(hex(a.publicKey) == Self.publicA)
        #expect(hex(b.publicKey) == Self.publicB)
        #expect(a.sharedSecret(with: b.publicKey).map(hex) == Self.secret)
        #expect(b.sharedSecret(with: a.publicKey).map(hex) == Self.secret)
    }

    @Test func diffieHellman_freshKeysAgree() {
        let a = DiffieHellman(), b = DiffieHellman()
        #expect(a.privateKey != b.privateKey)
        #expect(a.publicKey.bitLength > 2000)
        let secret = a.sharedSecret(with: b.publicKey)
        #expect(secret != nil)
        #expect(secret == b.sharedSecret(with: a.publicKey))
    }

    /// What an upstream server never sends is refused: values whose secret would be 0, 1
    /// or p-1, values out of the group, negative ones.
    @Test func diffieHellman_refusesDegeneratePublicKeys() {
        let peer = DiffieHellman()
        let p = DiffieHellman.pyInt(DiffieHellman.prime)
        var pMinusOne = DiffieHellman.prime
        pMinusOne[0] -= 1
        for key in [PyInt(0), PyInt(1), PyInt(-5), DiffieHellman.pyInt(pMinusOne), p] {
            #expect(peer.sharedSecret(with: key) == nil, "\(key.shortDescription)")
        }
        #expect(peer.sharedSecret(with: PyInt(2)) != nil)
    }

    @Test func montgomery_smallModulusAgainstDirectArithmetic() {
        let m = MontgomeryModulus([1_000_000_007])
        var expected: UInt64 = 1
        for _ in 0..<65537 { expected = expected * 3 % 1_000_000_007 }
        #expect(m.power([3], [65537]) == [expected])
        #expect(m.power([5], [0]) == [1])
        #expect(m.power([0], [7]) == [0])
    }

    /// Live: upstream decrypts what we encrypt for its server key, and we decrypt what its
    /// client encrypts for ours, both with fresh random keys on each side.
    @Test(.enabled(if: UpstreamPython.available, "needs the Python client 10.0 (make python-client)"))
    func liveExchangeWithUpstreamsPython() throws {
        let server = DiffieHellman()
        let registries = RegistryCredentials(
            config: configWithHub("bob", "pässwörd€ 🔑"), file: nil, terminal: Terminal(write: { _ in }), interactive: false)
        let answer = try registries.encryptedCredentials("hub", serverPublicKey: .int(server.publicKey))
        // The pickle that goes over the wire, decrypted by upstream's server-side code.
        let decrypted = try UpstreamPython.run("""
            import pickle, sys
            from walt.common.crypto.blowfish import BlowFish
            from walt.common.crypto.dh import DHPeer
            creds = pickle.loads(bytes.fromhex(sys.argv[1]))
            peer = DHPeer.__new__(DHPeer)
            peer.priv_key = int(sys.argv[2], 16)
            peer.establish_session(creds["client_pub_key"])
            password = BlowFish(peer.symmetric_key).decrypt(creds["encrypted_password"])
            print(list(creds), type(creds["encrypted_password"]).__name__, type(creds["client_pub_key"]).__name__)
            print(creds["username"], password, sep="\\n")
            """, [hex(PickleEncoder.encode(answer)), hex(server.privateKey)])
        #expect(decrypted == "['username', 'encrypted_password', 'client_pub_key'] bytes int\nbob\npässwörd€ 🔑")
        // The other way: upstream's client encrypts for our key.
        let fromPython = try UpstreamPython.run("""
            import sys
            from walt.client.auth import get_encrypted_credentials
            creds = get_encrypted_credentials(int(sys.argv[1]), "alice", "s3cret: pw")
            print(creds["encrypted_password"].hex(), creds["client_pub_key"])
            """, [server.publicKey.description])
        let parts = fromPython.split(separator: " ").map(String.init)
        let clientKey = try #require(PyInt(decimal: parts[1][...]))
        let secret = try #require(server.sharedSecret(with: clientKey))
        #expect(CredentialCipher(secret: secret).decrypt(hexBytes(parts[0])) == "s3cret: pw")
    }
}

func configWithHub(_ username: String, _ password: String) -> WaltConfig {
    var config = WaltConfig()
    config.server = "localhost"
    config.username = "alice"
    config.setRegistryCredentials("hub", username: username, password: password)
    return config
}

private func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8).compactMap { byte -> UInt8? in
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}

/// Lowercase hexadecimal without leading zeros, as Python's `"%x" % n`.
private func hex(_ value: PyInt) -> String {
    var bytes = Array(value.twosComplementLittleEndian.reversed().drop(while: { $0 == 0 }))
    if bytes.isEmpty { bytes = [0] }
    let text = hex(bytes)
    return text.hasPrefix("0") && text.count > 1 ? String(text.dropFirst()) : text
}

private func hex(_ limbs: [UInt64]) -> String {
    hex(DiffieHellman.pyInt(limbs))
}

private func block(_ text: String) -> UInt64 {
    hexBytes(text).reduce(0) { $0 << 8 | UInt64($1) }
}
