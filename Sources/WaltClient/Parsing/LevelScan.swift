/// One level of plumbum's `_parse_args`: the tokens given to `walt`, to a category, or to
/// a leaf command.
///
/// Tokens are read left to right. `--` makes the rest positional; a sub-command name stops
/// the scan and hands the rest to that sub-command; anything starting with `-` is a switch
/// (so switches may follow positionals, and an unknown one is an error); a switch value is
/// the next token even when it starts with `-`. One-letter switches may be bundled (`-hx`
/// is `-h -x`), as in plumbum.
struct LevelScan {
    /// Positional tokens, in order.
    var positionals: [String] = []
    /// Switches, in order.
    var switches: [Invocation.GivenSwitch] = []
    /// The sub-command named on the line and the tokens after it.
    var nested: (name: String, rest: [String])?

    /// True when `-h` or `--help` was given.
    var wantsHelp: Bool { switches.contains { $0.spec.isMeta } }

    /// Scans `tokens`. `lookup` finds a switch by bare name; `isSubcommand` says whether a
    /// token names a sub-command of this level.
    init(
        _ tokens: [String],
        lookup: (String) -> SwitchSpec?,
        isSubcommand: (String) -> Bool = { _ in false }
    ) throws(UsageError) {
        // plumbum pops from the front and pushes back to the front; a reversed stack does both
        // at the end.
        var stack = Array(tokens.reversed())
        while let token = stack.popLast() {
            if token == "--" {
                positionals.append(contentsOf: stack.reversed())
                return
            }
            if isSubcommand(token) {
                nested = (token, stack.reversed())
                return
            }
            // Python indexes code points, so lengths and prefixes are checked on scalars.
            let scalars = token.unicodeScalars
            let name: String
            let typed: String
            var value: String?
            if scalars.first == "-", scalars.dropFirst().first == "-", scalars.count >= 3 {
                let body = scalars.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    stack.append(String(body[equals...]))
                } else {
                    name = String(body)
                }
                typed = "--" + name
                guard let spec = lookup(name) else { throw .unknownSwitch(typed) }
                if spec.argument != nil {
                    guard let next = stack.popLast() else { throw .missingValue(typed) }
                    if next.unicodeScalars.first == "=" {
                        if next.unicodeScalars.count >= 2 {
                            value = String(next.unicodeScalars.dropFirst())
                        } else {
                            guard let after = stack.popLast() else { throw .missingValue(typed) }
                            value = after
                        }
                    } else {
                        value = next
                    }
                }
                try record(spec, typed: typed, name: name, value: value)
            } else if scalars.first == "-", scalars.count >= 2 {
                let rest = scalars.dropFirst()
                name = String(rest.prefix(1))
                typed = "-" + name
                guard let spec = lookup(name) else { throw .unknownSwitch(typed) }
                let attached = rest.dropFirst()
                if spec.argument != nil {
                    if !attached.isEmpty {
                        value = String(attached)
                    } else {
                        guard let next = stack.popLast() else { throw .missingValue(typed) }
                        value = next
                    }
                } else if !attached.isEmpty {
                    stack.append("-" + String(attached))
                }
                try record(spec, typed: typed, name: name, value: value)
            } else if scalars.first == "-" {
                throw .unknownSwitch(token)
            } else {
                positionals.append(token)
            }
        }
    }

    /// Converts the value and refuses a second occurrence of the same switch (under any of
    /// its names).
    private mutating func record(_ spec: SwitchSpec, typed: String, name: String, value: String?) throws(UsageError) {
        let converted: ArgumentValue
        if let value, let argument = spec.argument {
            converted = try argument.type.convert(value, name: name)
        } else {
            converted = .flag
        }
        if let earlier = switches.first(where: { $0.spec == spec }) {
            throw .repeated(first: earlier.typed, again: typed)
        }
        switches.append(Invocation.GivenSwitch(typed: typed, spec: spec, value: converted))
    }
}
