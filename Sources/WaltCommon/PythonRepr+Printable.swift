// Python's str.isprintable() for one character, with CPython 3.11's Unicode 14.0 data:
// a character is printable unless its general category is Cc, Cf, Cs, Co, Cn, Zl, Zp or
// Zs (space excepted). Swift's tables are newer, so characters assigned after Unicode
// 14.0 count as unassigned (Cn), as they do in CPython 3.11.

extension PythonRepr {
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        let properties = scalar.properties
        guard let age = properties.age, age.major < 14 || (age.major == 14 && age.minor == 0) else {
            return false
        }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
