/// The WalT version this client implements, shown in the top-level help.
///
/// The server compares it with its own version string during the RPC handshake, so it
/// must stay WalT's release number, not ours.
public enum WaltVersion {
    public static let string = "10.0"
}
