/// The shortcuts of `walt node console` (upstream's `console_loop`): `<ctrl-a> <d>` leaves,
/// `<ctrl-a> <a>` or `<ctrl-a> <ctrl-a>` sends one `<ctrl-a>`, `<ctrl-a>` then any other
/// key is ignored; everything else goes to the console.
///
/// As upstream, each read of stdin is judged whole: in raw mode a key is one read, and a
/// paste that happens to contain `\x01d` is sent as it is rather than ending the session.
struct ConsoleKeys {
    enum Action: Equatable {
        /// Send these bytes to the node's console.
        case send([UInt8])
        /// Nothing to send (the escape started, or an unknown shortcut was dropped).
        case nothing
        /// `<ctrl-a> <d>`.
        case disconnect
    }

    static let escape: UInt8 = 0x01

    /// True after a lone `<ctrl-a>`.
    private(set) var escaping = false

    mutating func received(_ chunk: [UInt8]) -> Action {
        guard escaping else {
            if chunk == [Self.escape] {
                escaping = true
                return .nothing
            }
            return .send(chunk)
        }
        escaping = false
        switch chunk {
        case [UInt8(ascii: "a")], [Self.escape]: return .send([Self.escape])
        case [UInt8(ascii: "d")]: return .disconnect
        default: return .nothing
        }
    }
}
