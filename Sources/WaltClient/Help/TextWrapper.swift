/// Python's `textwrap.TextWrapper(width).wrap(text)` with its default settings, which
/// plumbum uses for switch help.
///
/// Chunks follow `TextWrapper.wordsep_re`: runs of white space, words, and word pieces cut
/// after a hyphen between letters (`log-` `history`). Lines are filled greedily; a chunk
/// longer than a whole line is cut, after its last hyphen if it has one in reach.
struct TextWrapper {
    let width: Int

    /// The wrapped lines of `text` (no trailing white space, none for empty text).
    func wrap(_ text: String) -> [String] {
        // Python munges only ASCII white space (tabs would be expanded first; help has none).
        let munged = text.unicodeScalars.map { "\t\n\u{0B}\u{0C}\r".unicodeScalars.contains($0) ? " " : $0 }
        var chunks = Self.chunks(munged).reversed().map { $0 }
        var lines: [String] = []
        while !chunks.isEmpty {
            var line: [[Unicode.Scalar]] = []
            var length = 0
            if Self.isBlank(chunks[chunks.count - 1]), !lines.isEmpty {
                chunks.removeLast()
            }
            while let next = chunks.last, length + next.count <= width {
                line.append(next)
                length += next.count
                chunks.removeLast()
            }
            if let next = chunks.last, next.count > width {
                breakLongChunk(&chunks, line: &line, length: length)
            }
            if let last = line.last, Self.isBlank(last) {
                line.removeLast()
            }
            if !line.isEmpty {
                var text = String.UnicodeScalarView()
                for chunk in line { text.append(contentsOf: chunk) }
                lines.append(String(text))
            }
        }
        return lines
    }

    /// `_handle_long_word` with `break_long_words` and `break_on_hyphens` on.
    private func breakLongChunk(_ chunks: inout [[Unicode.Scalar]], line: inout [[Unicode.Scalar]], length: Int) {
        let spaceLeft = width < 1 ? 1 : width - length
        let chunk = chunks[chunks.count - 1]
        var end = spaceLeft
        if chunk.count > spaceLeft,
            let hyphen = chunk[0..<min(spaceLeft, chunk.count)].lastIndex(of: "-"), hyphen > 0,
            chunk[0..<hyphen].contains(where: { $0 != "-" })
        {
            end = hyphen + 1
        }
        end = min(end, chunk.count)
        line.append(Array(chunk[0..<end]))
        chunks[chunks.count - 1] = Array(chunk[end...])
    }

    private static func isBlank(_ chunk: [Unicode.Scalar]) -> Bool {
        chunk.allSatisfy { $0 == " " }
    }

    /// Splits like `wordsep_re`: white-space runs; em-dashes (`--`) between words; words,
    /// ending at white space, before an em-dash, or just after a hyphen that follows two
    /// letters (or letter-hyphen-letter) and precedes letter(-)letter.
    static func chunks(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var result: [[Unicode.Scalar]] = []
        var start = 0
        let count = text.count
        func at(_ index: Int) -> Unicode.Scalar? { index >= 0 && index < count ? text[index] : nil }
        func isLetter(_ index: Int) -> Bool { at(index).map(isLetterScalar) ?? false }
        func isWordPunct(_ index: Int) -> Bool { at(index).map(isWordPunctScalar) ?? false }
        func emDashAhead(_ index: Int) -> Int? {
            var end = index
            while at(end) == "-" { end += 1 }
            guard end - index >= 2, let next = at(end), isWordScalar(next) else { return nil }
            return end
        }
        while start < count {
            if text[start] == " " {
                var end = start
                while end < count, text[end] == " " { end += 1 }
                result.append(Array(text[start..<end]))
                start = end
                continue
            }
            if isWordPunct(start - 1), let end = emDashAhead(start) {
                result.append(Array(text[start..<end]))
                start = end
                continue
            }
            var end = start + 1
            while true {
                if end >= count || text[end] == " " { break }
                if text[end] == "-",
                    (isLetter(end - 2) && isLetter(end - 1)) || (isLetter(end - 3) && at(end - 2) == "-" && isLetter(end - 1)),
                    isLetter(end + 1) && (isLetter(end + 2) || (at(end + 2) == "-" && isLetter(end + 3)))
                {
                    end += 1
                    break
                }
                if isWordPunct(end - 1), emDashAhead(end) != nil { break }
                end += 1
            }
            result.append(Array(text[start..<end]))
            start = end
        }
        return result
    }

    /// Python's `[^\d\W]`: word characters that are not digits (letters and `_`).
    private static func isLetterScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let folded = scalar.value | 0x20
            return scalar == "_" || (folded >= 0x61 && folded <= 0x7a)
        }
        return isWordScalar(scalar) && scalar.properties.numericType != .decimal
    }

    /// Python's `\w`.
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isLetterScalar(scalar) || (scalar.value >= 0x30 && scalar.value <= 0x39) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// `[\w!"'&.,?]`.
    private static func isWordPunctScalar(_ scalar: Unicode.Scalar) -> Bool {
        isWordScalar(scalar) || "!\"'&.,?".unicodeScalars.contains(scalar)
    }
}
