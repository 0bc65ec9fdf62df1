/// What a key press means to the help pager, decoded from the bytes a terminal sends.
enum PagerKey: Equatable {
    case up, down, pageUp, pageDown, home, end
    case nextLink, previousLink, open, back
    case quit, other

    init(bytes: [UInt8]) {
        switch bytes {
        case [0x71], [0x51], [0x03]: self = .quit  // q, Q, Ctrl-C in raw mode
        case [0x1B, 0x5B, 0x41], [0x1B, 0x4F, 0x41], [0x6B]: self = .up
        case [0x1B, 0x5B, 0x42], [0x1B, 0x4F, 0x42], [0x6A], [0x0D]: self = bytes == [0x0D] ? .open : .down
        case [0x1B, 0x5B, 0x35, 0x7E], [0x62]: self = .pageUp
        case [0x1B, 0x5B, 0x36, 0x7E], [0x20]: self = .pageDown
        case [0x1B, 0x5B, 0x48], [0x1B, 0x4F, 0x48], [0x1B, 0x5B, 0x31, 0x7E]: self = .home
        case [0x1B, 0x5B, 0x46], [0x1B, 0x4F, 0x46], [0x1B, 0x5B, 0x34, 0x7E]: self = .end
        case [0x09]: self = .nextLink
        case [0x1B, 0x5B, 0x5A]: self = .previousLink
        case [0x0A]: self = .open
        case [0x7F], [0x08]: self = .back
        default: self = .other
        }
    }

    /// The keys in what one read returned: keys typed quickly arrive together. An escape
    /// sequence (`ESC [ ... final`, `ESC O x`) is one key, any other byte another.
    static func keys(in bytes: [UInt8]) -> [PagerKey] {
        var keys: [PagerKey] = []
        var index = 0
        while index < bytes.count {
            var end = index + 1
            if bytes[index] == 0x1B, end < bytes.count {
                if bytes[end] == 0x5B {
                    end += 1
                    while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
                    end = min(end + 1, bytes.count)
                } else if bytes[end] == 0x4F {
                    end = min(end + 2, bytes.count)
                }
            }
            keys.append(PagerKey(bytes: Array(bytes[index..<end])))
            index = end
        }
        return keys
    }
}
