/// Reads a tar stream as it arrives, in pieces of any size (the `r|` side of upstream's
/// transfers): ustar, pax (`x` records apply to the next member, `g` ones are ignored) and
/// GNU long names (`L`, `K`). Members come out as `entry`, then their data in chunks, then
/// `endOfEntry`; a zero block ends the archive and anything after it is ignored.
struct TarReader {
    /// A member, with the pax and GNU extensions applied.
    struct Entry: Equatable {
        var path: String
        var kind: TarHeader.Kind
        var mode: Int
        var uid: Int
        var gid: Int
        var userName: String
        var groupName: String
        var mtime: Double
        var size: Int
        var linkName: String
        var deviceMajor: Int
        var deviceMinor: Int
    }

    enum Event: Equatable {
        case entry(Entry)
        case data([UInt8])
        case endOfEntry
        case endOfArchive
    }

    /// Extension headers are small; a bigger one is a damaged or hostile stream.
    static let maxExtensionSize = 1 << 20

    private enum State {
        case header
        /// Member data (`keep`: handed out as events) or an extension body (collected).
        case body(remaining: Int, padding: Int, collect: Collect?)
        case padding(Int)
        case done
    }

    private enum Collect {
        case pax
        case longName
        case longLink
        case ignored
    }

    private var state = State.header
    private var buffer: [UInt8] = []
    private var offset = 0
    private var collected: [UInt8] = []
    private var pax: [String: String] = [:]
    private var longName: String?
    private var longLink: String?
    /// Bytes of headers seen: none means the stream was empty.
    private(set) var sawHeader = false

    var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Takes the next bytes; returns what they complete.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(TarError) -> [Event] {
        if isDone { return [] }
        buffer.removeFirst(offset)
        offset = 0
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while let event = try step() {
            events.append(event)
            if isDone { break }
        }
        return events
    }

    /// The stream ended: fine at a member boundary (Python accepts a missing end block).
    func finish() throws(TarError) {
        switch state {
        case .done: return
        case .header where buffer.count == offset:
            if !sawHeader { throw TarError("empty file") }
        default:
            throw TarError("unexpected end of data")
        }
    }

    private var available: Int { buffer.count - offset }

    private mutating func step() throws(TarError) -> Event? {
        switch state {
        case .done:
            return nil
        case .padding(let count):
            guard available >= count else { return nil }
            offset += count
            state = .header
            return try step()
        case .body(let remaining, let padding, let collect):
            if remaining == 0 {
                state = padding > 0 ? .padding(padding) : .header
                if let collect {
                    try finishExtension(collect)
                    return try step()
                }
                return .endOfEntry
            }
            guard available > 0 else { return nil }
            let count = min(remaining, available)
            let chunk = Array(buffer[offset..<(offset + count)])
            offset += count
            state = .body(remaining: remaining - count, padding: padding, collect: collect)
            if collect != nil {
                collected += chunk
                return try step()
            }
            return .data(chunk)
        case .header:
            guard available >= TarHeader.blockSize else { return nil }
            let block = buffer[offset..<(offset + TarHeader.blockSize)]
            offset += TarHeader.blockSize
            guard let header = try TarHeader.decode(block) else {
                state = .done
                return .endOfArchive
            }
            sawHeader = true
            return try start(header)
        }
    }

    private mutating func start(_ header: TarHeader) throws(TarError) -> Event? {
        let collect: Collect?
        switch header.kind {
        case .paxExtended: collect = .pax
        case .gnuLongName: collect = .longName
        case .gnuLongLink: collect = .longLink
        case .paxGlobal: collect = .ignored
        default: collect = nil
        }
        if collect != nil {
            guard header.size <= Self.maxExtensionSize else { throw TarError("invalid header") }
            collected = []
            state = .body(remaining: header.size, padding: Self.padding(header.size), collect: collect)
            return try step()
        }
        var entry = Entry(
            path: longName ?? header.name, kind: header.kind, mode: header.mode, uid: header.uid, gid: header.gid,
            userName: header.userName, groupName: header.groupName, mtime: Double(header.mtime), size: header.size,
            linkName: longLink ?? header.linkName, deviceMajor: header.deviceMajor, deviceMinor: header.deviceMinor)
        if let path = pax["path"] { entry.path = path }
        if let link = pax["linkpath"] { entry.linkName = link }
        if let size = pax["size"].flatMap({ Int($0) }) { entry.size = size }
        if let mtime = pax["mtime"].flatMap({ Double($0) }) { entry.mtime = mtime }
        if let uid = pax["uid"].flatMap({ Int($0) }) { entry.uid = uid }
        if let gid = pax["gid"].flatMap({ Int($0) }) { entry.gid = gid }
        if let user = pax["uname"] { entry.userName = user }
        if let group = pax["gname"] { entry.groupName = group }
        pax = [:]
        longName = nil
        longLink = nil
        // Only regular files carry data (a hard link's size field is informative).
        let carried: Int
        switch entry.kind {
        case .file, .other: carried = entry.size
        default: carried = 0
        }
        guard carried >= 0 else { throw TarError("invalid header") }
        state = .body(remaining: carried, padding: Self.padding(carried), collect: nil)
        return .entry(entry)
    }

    private mutating func finishExtension(_ collect: Collect) throws(TarError) {
        switch collect {
        case .pax:
            for (keyword, value) in try TarPaxRecords.decode(collected) { pax[keyword] = value }
        case .longName:
            longName = TarHeader.text(collected[...])
        case .longLink:
            longLink = TarHeader.text(collected[...])
        case .ignored:
            break
        }
        collected = []
    }

    private static func padding(_ size: Int) -> Int {
        let rest = size % TarHeader.blockSize
        return rest == 0 ? 0 : TarHeader.blockSize - rest
    }
}
