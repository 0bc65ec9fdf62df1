import WaltCommon

/// The value formats of device settings, as upstream's checks accept them: Python's
/// `int(text)`, `re.match(r"^...$", text)` (where `$` also matches before one final
/// newline) and `text.lower()`. ASCII digits only, where Python's `\d` also takes other
/// scripts' digits.
enum SettingValueRules {
    /// Python's `int(text)`: surrounding whitespace, one sign, digits with single
    /// underscores between them, at most 4300 digits.
    static func pythonInt(_ text: String) -> PyInt? {
        let whitespace: Set<Character> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"]
        var body = Substring(text)
        while let first = body.first, whitespace.contains(first) { body = body.dropFirst() }
        while let last = body.last, whitespace.contains(last) { body = body.dropLast() }
        var sign = ""
        if let first = body.first, first == "+" || first == "-" {
            sign = String(first)
            body = body.dropFirst()
        }
        var digits = ""
        var previousWasDigit = false
        for char in body {
            if char.isASCII && char.isNumber {
                digits.append(char)
                previousWasDigit = true
            } else if char == "_" && previousWasDigit {
                previousWasDigit = false
            } else {
                return nil
            }
        }
        guard previousWasDigit else { return nil }
        return PyInt(decimal: Substring(sign + digits))
    }

    /// Upstream's `positive_int`: an int, zero included.
    static func isPositiveInt(_ text: String) -> Bool {
        guard let value = pythonInt(text) else { return false }
        return !value.isNegative
    }

    /// `true` or `false`, in any case.
    static func isBool(_ text: String) -> Bool {
        ["true", "false"].contains(text.lowercased())
    }

    /// `^\d+[MG]$`, e.g. `512M`, `1G`.
    static func isRAM(_ text: String) -> Bool {
        let body = matchBody(text)
        guard let unit = body.last, unit == "M" || unit == "G" else { return false }
        let digits = body.dropLast()
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// Upstream's `parse_expose_setting_value`: (device port, server port) pairs, empty
    /// for `none`, nil when the text is not `^\d+:\d+(,\d+:\d+)*$`.
    static func exposeRedirects(_ text: String) -> [(device: PyInt, server: PyInt)]? {
        if text == "none" { return [] }
        let body = matchBody(text)
        var redirects: [(device: PyInt, server: PyInt)] = []
        for item in body.split(separator: ",", omittingEmptySubsequences: false) {
            let ports = item.split(separator: ":", omittingEmptySubsequences: false)
            guard ports.count == 2, ports.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }),
                  let device = PyInt(decimal: ports[0]), let server = PyInt(decimal: ports[1]) else { return nil }
            redirects.append((device, server))
        }
        return redirects
    }

    /// What a Python `^...$` pattern must match: the text without one final newline.
    static func matchBody(_ text: String) -> Substring {
        text.hasSuffix("\n") ? Substring(text).dropLast() : Substring(text)
    }

    static func isDigit(_ char: Character) -> Bool {
        char.isASCII && char.isNumber
    }
}
