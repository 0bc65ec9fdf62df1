// WaltClient: the `walt` command. Command specs as data, a plumbum-compatible parser and
// help renderer, the RPC link over blocking sockets. No NIO, no Foundation, no libpq.
import WaltCommon

/// `walt`: the client personality.
public enum ClientEntry: PersonalityEntry {
    public static func main(_ arguments: [String]) -> Int32 {
        StandardStream.output.write("\nWalT platform control tool.\nVersion: 10.0\n")
        return 0
    }
}
