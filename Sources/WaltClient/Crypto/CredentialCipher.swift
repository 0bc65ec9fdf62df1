/// How upstream wraps Blowfish around a registry password (`BlowFish(key).encrypt(pw)` in
/// `walt/common/crypto/blowfish.py`), byte for byte, since the server decrypts it with
/// that code:
///
/// - key: the Diffie-Hellman secret reduced to its low 448 bits (upstream keeps the last
///   112 hex digits of `hex(secret)`, zero-padded on the left), i.e. 56 big-endian bytes;
/// - text: UTF-8, padded with n bytes of value n (1 to 8, always at least one, so a
///   whole-block password gets a full block of 8s);
/// - mode: ECB, each 8-byte block encrypted alone.
struct CredentialCipher {
    static let keyBytes = 56
    private let cipher: Blowfish

    /// `secret`: big-endian bytes of the shared secret (any length).
    init(secret: [UInt8]) {
        let low = secret.suffix(Self.keyBytes)
        cipher = Blowfish(key: [UInt8](repeating: 0, count: Self.keyBytes - low.count) + low)
    }

    /// The encrypted UTF-8 bytes of `text`.
    func encrypt(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        let padding = 8 - bytes.count % 8
        bytes += [UInt8](repeating: UInt8(padding), count: padding)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for start in stride(from: 0, to: bytes.count, by: 8) {
            output += Self.bytes(cipher.encrypt(Self.block(bytes[start..<start + 8])))
        }
        return output
    }

    /// The text back, or nil when `bytes` is not whole blocks with valid padding and UTF-8.
    /// (Upstream's server side; we only need it to check ourselves.)
    func decrypt(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        var plain: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 8) {
            plain += Self.bytes(cipher.decrypt(Self.block(bytes[start..<start + 8])))
        }
        guard let padding = plain.last, (1...8).contains(padding),
              plain.suffix(Int(padding)).allSatisfy({ $0 == padding }) else { return nil }
        return String(validating: plain.dropLast(Int(padding)), as: UTF8.self)
    }

    private static func block(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func bytes(_ block: UInt64) -> [UInt8] {
        stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: block >> UInt64($0)) }
    }
}
