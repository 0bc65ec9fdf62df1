/// What `walt node save` keeps of a node: the files it changed since it booted (upstream's
/// walt-dump-diff-tar, which walks the RAM overlay's upper directory of a node booted by
/// walt-init). Our nodes need not expose that directory (simulated nodes keep it outside
/// the root their sessions run in), so the server compares instead: the node lists its
/// root (one file system, `-xdev`) with times, the server holds the image the node booted
/// (mounted for the node tree) and keeps what the image lacks or what has another status
/// change time there (a copy-up gets a new ctime, untouched files show the image's own),
/// then the node archives exactly those paths. Deletions are not carried, as upstream.
/// Scripts only need a POSIX shell, find, xargs, stat and tar (busybox's will do).
enum NodeDiff {
    enum Kind: Equatable { case directory, file }

    struct Entry: Equatable {
        var kind: Kind
        var mtime: Int
        var ctime: Int
        /// Absolute, as in the node's root.
        var path: String
    }

    /// What the booted image has at a path, as the server sees its mount.
    enum InImage: Equatable {
        case directory
        case other(ctime: Int)
    }

    /// Lists directories, then regular files and symbolic links (upstream keeps no other
    /// kind), one `@d|@f MTIME CTIME ./PATH` line each, then upstream's bootup mark
    /// (/run/uptime-ready, made by walt-init once the OS is up) as `@r MTIME CTIME` if the
    /// node has one.
    static let listScript = """
        cd / && { find . -xdev -type d -print0 | xargs -0 -r stat -c '@d %Y %Z %n'; \
        find . -xdev '(' -type f -o -type l ')' -print0 | xargs -0 -r stat -c '@f %Y %Z %n'; \
        if [ -e /run/uptime-ready ]; then stat -c '@r %Y %Z' /run/uptime-ready; fi; }
        """

    /// Archives the paths read on stdin (one a line, relative to /), each alone: a new
    /// directory is listed with its contents, and parents the image has keep its own modes.
    /// GNU tar reads the list itself (`-T`, names verbatim); busybox's tar, often built
    /// without `-T`, gets them as arguments.
    static let dumpScript = """
        cd / && if tar --version 2>/dev/null | grep -q 'GNU tar'; then exec tar -c -f - --no-recursion --no-unquote -T -; fi &&         set -- && while IFS= read -r p; do set -- "$@" "$p"; done && exec tar -c -f - --no-recursion -- "$@"
        """

    /// The entries of `listScript`'s output and the bootup mark; other lines (messages)
    /// are skipped.
    static func parse(_ listing: String) -> (entries: [Entry], bootup: (mtime: Int, ctime: Int)?) {
        var entries: [Entry] = []
        var bootup: (mtime: Int, ctime: Int)?
        for line in listing.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, let mtime = Int(fields[1]), let ctime = Int(fields[2]) else { continue }
            switch fields[0] {
            case "@r":
                bootup = (mtime, ctime)
            case "@d", "@f":
                // A name that is not UTF-8 could not be asked for again: left out.
                guard fields.count == 4, fields[3].hasPrefix("./") || fields[3] == ".",
                      !fields[3].contains("\u{FFFD}") else { continue }
                let path = String(fields[3].dropFirst())
                guard path.count > 1 else { continue }   // the root itself
                entries.append(Entry(kind: fields[0] == "@d" ? .directory : .file, mtime: mtime, ctime: ctime, path: path))
            default:
                continue
            }
        }
        return (entries, bootup)
    }

    /// Upstream's `filter_out_files`: logs, locks and what walt-init writes at every boot.
    static func ignored(_ path: String) -> Bool {
        path.contains("/log/") || path.hasSuffix(".lock") || path.contains("machine-id") || path.contains("walt-env")
            || path.contains("_walt_internal_") || path.contains("README.nonlocal")
    }

    /// The paths to archive (relative to /, sorted so that directories come before what
    /// they hold): new directories, and files that the image lacks or has with another
    /// ctime. With a bootup mark, only what changed at or after it, as upstream.
    static func changes(_ entries: [Entry], bootup: (mtime: Int, ctime: Int)?,
                        inImage: (String) -> InImage?) -> [String] {
        var kept: [String] = []
        for entry in entries where !ignored(entry.path) {
            if let bootup, entry.mtime < bootup.mtime, entry.ctime < bootup.ctime { continue }
            let image = inImage(entry.path)
            switch (entry.kind, image) {
            case (.directory, .directory):
                continue
            case (.file, .other(let ctime)) where ctime == entry.ctime:
                continue
            default:
                kept.append("." + entry.path)
            }
        }
        return kept.sorted()
    }
}
