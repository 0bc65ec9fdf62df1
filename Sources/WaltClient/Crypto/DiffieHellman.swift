import WaltCommon

/// The Diffie-Hellman exchange upstream runs for each registry password it needs
/// (`walt/common/crypto/dh.py`): the 2048-bit MODP group with 256-bit prime order
/// subgroup of RFC 5114 §2.3, a fresh 2048-bit private key per exchange, public keys as
/// plain Python ints on the wire. The shared secret keys `CredentialCipher`.
///
/// It is unauthenticated, as upstream: it only keeps the password off the wire in clear.
struct DiffieHellman {
    /// p of RFC 5114 §2.3.
    static let prime = limbs(hex: """
        87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA30\
        16C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B\
        6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0E\
        F13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026\
        C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F\
        693877FAD7EF09CADB094AE91E1A1597
        """)
    /// g of RFC 5114 §2.3.
    static let generator = limbs(hex: """
        3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555\
        BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B\
        777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55\
        A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915\
        B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D4795451\
        5E2327CFEF98C582664B4C0F6CC41659
        """)
    static let modulus = MontgomeryModulus(prime)

    /// The private exponent, 2048 bits as upstream's `random.getrandbits(2048)` (from the
    /// system's random source here).
    let privateKey: [UInt64]
    /// g^privateKey mod p, sent as `client_pub_key`.
    let publicKey: PyInt

    init(privateKey: [UInt64]) {
        self.privateKey = privateKey
        publicKey = Self.pyInt(Self.modulus.power(Self.generator, privateKey))
    }

    /// A key pair with a fresh random private key.
    init() {
        var random = SystemRandomNumberGenerator()
        self.init(privateKey: (0..<Self.prime.count).map { _ in random.next() })
    }

    /// `remote^privateKey mod p` as big-endian bytes without leading zeros (the value
    /// upstream's `BlowFish(symmetric_key)` takes), or nil when `remote` is no public key
    /// of this group: not in [2, p-2], where the secret would be 0, 1 or ±1. An upstream
    /// server never sends those.
    func sharedSecret(with remote: PyInt) -> [UInt8]? {
        guard !remote.isNegative, remote.bitLength <= 64 * Self.prime.count else { return nil }
        let value = Self.limbs(littleEndian: remote.twosComplementLittleEndian, count: Self.prime.count)
        var pMinusOne = Self.prime
        pMinusOne[0] -= 1
        guard MontgomeryModulus.compare(value, pMinusOne) < 0, value.dropFirst().contains(where: { $0 != 0 }) || value[0] > 1 else {
            return nil
        }
        let secret = Self.modulus.power(value, privateKey)
        var bytes: [UInt8] = []
        for limb in secret.reversed() {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        return Array(bytes.drop(while: { $0 == 0 }))
    }

    /// Limbs of a big-endian hexadecimal constant.
    static func limbs(hex: String) -> [UInt64] {
        let digits = Array(hex.utf8).compactMap { byte -> UInt64? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        var limbs = [UInt64](repeating: 0, count: (digits.count + 15) / 16)
        for (index, digit) in digits.reversed().enumerated() {
            limbs[index / 16] |= digit << UInt64(4 * (index % 16))
        }
        return limbs
    }

    /// `count` limbs of a little-endian byte string (a non-negative pickle LONG payload).
    static func limbs(littleEndian bytes: [UInt8], count: Int) -> [UInt64] {
        var limbs = [UInt64](repeating: 0, count: count)
        for (index, byte) in bytes.enumerated() where byte != 0 {
            limbs[index / 8] |= UInt64(byte) << UInt64(8 * (index % 8))
        }
        return limbs
    }

    /// The non-negative Python int of little-endian limbs.
    static func pyInt(_ limbs: [UInt64]) -> PyInt {
        var bytes: [UInt8] = []
        for limb in limbs {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift))) }
        }
        bytes.append(0)  // a sign byte: the value is non-negative
        return PyInt(twosComplementLittleEndian: bytes)
    }
}
