import WaltCommon

/// How upstream stores registry passwords in `~/.walt/config`: the UTF-8 bytes XORed with
/// a fixed repeated key, as lowercase hex. It only hides passwords from someone looking
/// at the screen; the file's 0600 mode is the real protection.
public enum PasswordCoding {
    static let key = Array("RAND0M STRING T0 HIDE A PASSW0RD".utf8)

    /// `secret` → `21242d365539`.
    public static func encode(_ password: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (index, byte) in Array(password.utf8).enumerated() {
            let coded = byte ^ key[index % key.count]
            out.append(digits[Int(coded >> 4)])
            out.append(digits[Int(coded & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The password, or nil when `coded` is not hex of valid UTF-8.
    public static func decode(_ coded: String) -> String? {
        let nibbles = coded.utf8.map { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        guard nibbles.count % 2 == 0, !nibbles.contains(nil) else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < nibbles.count {
            let byte = ((nibbles[index] ?? 0) << 4) | (nibbles[index + 1] ?? 0)
            bytes.append(byte ^ key[(index / 2) % key.count])
            index += 2
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
