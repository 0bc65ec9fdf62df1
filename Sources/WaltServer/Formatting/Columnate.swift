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
        let dataWidth = rows.joined().map { ($0 ?? "None").unicodeScalars.count }.max() ?? 0
        let shownTitles = titles.map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(dataWidth))) }
        let cells = rows.map { $0.map { $0 ?? "" } }
        var widths = shownTitles.map(\.unicodeScalars.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.unicodeScalars.count)
            }
        }
        var lines: [String] = []
        lines.append(line(shownTitles, widths))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }, widths))
        for row in cells { lines.append(line(row, widths)) }
        return lines.joined(separator: "\n")
    }

    private static func line(_ cells: [String], _ widths: [Int]) -> String {
        var out = ""
        for (index, width) in widths.enumerated() {
            let cell = index < cells.count ? cells[index] : ""
            if index > 0 { out += String(repeating: " ", count: spacing) }
            out += cell
            out += String(repeating: " ", count: max(0, width - cell.unicodeScalars.count))
        }
        return out
    }

    /// A titled section: blank line, bold title, blank line, content, blank line, and the
    /// footnote followed by a blank line when there is one.
    public static func paragraph(title: String, content: String, footnote: String? = nil) -> String {
        let foot = footnote.map { $0.isEmpty ? "" : $0 + "\n\n" } ?? ""
        return "\n\u{1B}[1m\(title)\n\u{1B}[0m\n\(content)\n\n\(foot)"
    }
}

extension String {
    /// Replaces every occurrence of `target` (stdlib only, no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
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
