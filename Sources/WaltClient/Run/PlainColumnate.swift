/// Upstream's plain `columnate` (walt.common.formatting), the one table the client prints
/// itself (`image publish`'s registries): header, a dashed line, left-aligned cells padded
/// to their column's width (the last one too), joined by two spaces. Widths count
/// characters, ANSI escapes left out; `_` in the header becomes a space.
enum PlainColumnate {
    static func table(_ rows: [[String]], header: [String]) -> String {
        guard !rows.isEmpty else { return "" }
        let titles = header.map { String($0.map { $0 == "_" ? " " : $0 }) }
        let lines = [titles] + rows
        var widths = [Int](repeating: 0, count: titles.count)
        for line in lines {
            for (index, cell) in line.enumerated() where index < widths.count {
                widths[index] = max(widths[index], length(cell))
            }
        }
        let dashes = widths.map { String(repeating: "-", count: $0) }
        return ([titles, dashes] + rows).map { line in
            zip(line, widths).map { cell, width in
                cell + String(repeating: " ", count: width - length(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Python's `len()` of the text with `\e[...m` sequences removed.
    static func length(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar == "m" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }
}
