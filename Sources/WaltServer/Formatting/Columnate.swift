/// WalT's text tables (upstream `np_columnate` + `format_paragraph`), byte for byte, because
/// clients print the server's strings verbatim and users diff them.
///
/// Layout: a header line, a dashed line, then the rows; every cell (the last one too) is
/// padded to its column's width in characters, columns are joined by two spaces, and the
/// last line has no newline. Header names show `_` as `-` and drop a `:type` suffix.
///
/// - Important: upstream builds the table in one numpy string array sized by the longest
///   data cell (a missing value counts as "None"), so a longer header is cut to that width
///   (`clonable_image_link` prints as `clonable-image` next to `walt:bob/exp:2`). We keep
///   that, so outputs diff clean against a WalT 10.0 server.
public enum Columnate {
    public static let spacing = 2

    public static func table(header: [String], rows: [[String?]]) -> String {
        guard !rows.isEmpty else { return "" }
        let titles = header.map { name -> String in
            let base = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
            return base.replacingAll("_", with: "-")
        }
        // Each cell's length is counted once: `show_nodes` draws this on every `walt node show`.
        let lengths = rows.map { row in row.map { $0.map(scalarCount) } }
        var dataWidth = 0
        for row in lengths {
            for length in row { dataWidth = max(dataWidth, length ?? 4) }  // "None"
        }
        let shownTitles = titles.map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(dataWidth))) }
        let titleLengths = shownTitles.map(scalarCount)
        var widths = titleLengths
        for row in lengths {
            for (index, length) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], length ?? 0)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity((widths.reduce(0, +) + spacing * widths.count + 1) * (rows.count + 2))
        append(line: shownTitles, lengths: titleLengths, widths, to: &out)
        out.append(0x0A)
        let dashes = widths.map { String(repeating: "-", count: $0) }
        append(line: dashes, lengths: widths, widths, to: &out)
        for (row, rowLengths) in zip(rows, lengths) {
            out.append(0x0A)
            append(line: row.map { $0 ?? "" }, lengths: rowLengths.map { $0 ?? 0 }, widths, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line: each cell (missing ones empty) padded to its column's width.
    private static func append(line cells: [String], lengths: [Int], _ widths: [Int], to out: inout [UInt8]) {
        for (index, width) in widths.enumerated() {
            if index > 0 { pad(spacing, to: &out) }
            if index < cells.count {
                out.append(contentsOf: cells[index].utf8)
                pad(width - lengths[index], to: &out)
            } else {
                pad(width, to: &out)
            }
        }
    }

    private static func pad(_ count: Int, to out: inout [UInt8]) {
        var left = count
        while left > 0 {
            out.append(0x20)
            left -= 1
        }
    }

    /// Python's `len(str)`: Unicode scalars, counted as the UTF-8 bytes that start one.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var continuations = 0
            for byte in bytes where byte & 0xC0 == 0x80 { continuations += 1 }
            return bytes.count - continuations
        }
    }

    /// A titled section: blank line, bold title, blank line, content, blank line, and the
    /// footnote followed by a blank line when there is one.
    public static func paragraph(title: String, content: String, footnote: String? = nil) -> String {
        let foot = footnote.map { $0.isEmpty ? "" : $0 + "\n\n" } ?? ""
        return "\n\u{1B}[1m\(title)\n\u{1B}[0m\n\(content)\n\n\(foot)"
    }
}

extension String {
    /// Replaces every occurrence of `target` (stdlib only, no Foundation). Matches Unicode
    /// scalars (UTF-8 bytes), like Python's `str.replace`, not grapheme clusters: a byte
    /// scan, about 50 times faster than `firstRange(of:)`, which `show_nodes` runs for
    /// every node.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let first = needle.first else { return self }
        return withUTF8Bytes { source in
            guard source.count >= needle.count else { return self }
            var out: [UInt8] = []
            var copied = 0
            var index = 0
            let last = source.count - needle.count
            while index <= last {
                if source[index] == first && source[index..<index + needle.count].elementsEqual(needle) {
                    if out.isEmpty { out.reserveCapacity(source.count) }
                    out.append(contentsOf: source[copied..<index])
                    out.append(contentsOf: replacement.utf8)
                    index += needle.count
                    copied = index
                } else {
                    index += 1
                }
            }
            guard copied > 0 else { return self }
            out.append(contentsOf: source[copied...])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Runs `body` on the string's UTF-8 bytes, contiguous (copied only for a bridged string).
    private func withUTF8Bytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var copy = self
        return copy.withUTF8(body)
    }
}

extension Columnate {
    /// Upstream's plain `columnate` (used for `pretty_printed_select`): no header
    /// truncation, `_` shown as a space, every cell padded, no trailing newline.
    public static func plain(header: [String], rows: [[String?]]) -> String {
        guard !rows.isEmpty else { return "" }
        let titles = header.map { $0.replacingAll("_", with: " ") }
        let cells = rows.map { $0.map { $0 ?? "" } }
        var widths = titles.map(\.unicodeScalars.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.unicodeScalars.count)
            }
        }
        let all = [titles, widths.map { String(repeating: "-", count: $0) }] + cells
        return all.map { row in
            zip(row, widths).map { cell, width in
                cell + String(repeating: " ", count: max(0, width - cell.unicodeScalars.count))
            }.joined(separator: String(repeating: " ", count: spacing))
        }.joined(separator: "\n")
    }
}
