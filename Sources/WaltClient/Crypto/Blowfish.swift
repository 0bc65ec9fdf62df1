/// The Blowfish block cipher (Schneier, 1993): 64-bit blocks, keys of 4 to 56 bytes.
///
/// Upstream WalT encrypts registry passwords with its own pure-Python Blowfish
/// (`walt/common/crypto/blowfish.py`, after Kirby Urner); this is the same textbook cipher,
/// so that a WalT 10.0 server can decrypt what we send. Blocks are handled as `UInt64`
/// (big-endian halves, as in the published test vectors); the padding and block mode
/// upstream puts around it are in `CredentialCipher`.
struct Blowfish {
    private var p: [UInt32]
    private var s: [UInt32]

    /// Runs the key schedule. `key` must have 4 to 56 bytes; its bytes are cycled over
    /// the P-array, then the all-zero block is encrypted again and again to fill P and S.
    init(key: [UInt8]) {
        precondition((4...56).contains(key.count), "Blowfish keys have 4 to 56 bytes")
        p = BlowfishTables.p
        s = BlowfishTables.s
        var position = 0
        for index in 0..<18 {
            var word: UInt32 = 0
            for _ in 0..<4 {
                word = (word << 8) | UInt32(key[position])
                position = (position + 1) % key.count
            }
            p[index] ^= word
        }
        var block: UInt64 = 0
        for index in stride(from: 0, to: 18, by: 2) {
            block = encrypt(block)
            p[index] = UInt32(truncatingIfNeeded: block >> 32)
            p[index + 1] = UInt32(truncatingIfNeeded: block)
        }
        for index in stride(from: 0, to: 1024, by: 2) {
            block = encrypt(block)
            s[index] = UInt32(truncatingIfNeeded: block >> 32)
            s[index + 1] = UInt32(truncatingIfNeeded: block)
        }
    }

    /// Encrypts one block (16 Feistel rounds).
    func encrypt(_ block: UInt64) -> UInt64 {
        var left = UInt32(truncatingIfNeeded: block >> 32)
        var right = UInt32(truncatingIfNeeded: block)
        for round in 0..<16 {
            left ^= p[round]
            right ^= f(left)
            swap(&left, &right)
        }
        swap(&left, &right)
        right ^= p[16]
        left ^= p[17]
        return UInt64(left) << 32 | UInt64(right)
    }

    /// Decrypts one block: the rounds of `encrypt` with the P-array reversed.
    func decrypt(_ block: UInt64) -> UInt64 {
        var left = UInt32(truncatingIfNeeded: block >> 32)
        var right = UInt32(truncatingIfNeeded: block)
        for round in stride(from: 17, to: 1, by: -1) {
            left ^= p[round]
            right ^= f(left)
            swap(&left, &right)
        }
        swap(&left, &right)
        right ^= p[1]
        left ^= p[0]
        return UInt64(left) << 32 | UInt64(right)
    }

    /// The round function: ((S1[a] + S2[b]) ^ S3[c]) + S4[d], a..d the bytes of `x`
    /// from the most significant.
    private func f(_ x: UInt32) -> UInt32 {
        let a = Int(x >> 24), b = Int((x >> 16) & 0xff), c = Int((x >> 8) & 0xff), d = Int(x & 0xff)
        return ((s[a] &+ s[256 + b]) ^ s[512 + c]) &+ s[768 + d]
    }
}
