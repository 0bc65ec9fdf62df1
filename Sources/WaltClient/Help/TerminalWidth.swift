#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The terminal width plumbum wraps switch help to.
///
/// plumbum asks `TIOCGWINSZ` on fds 0, 1 and 2, then the controlling terminal, then the
/// `LINES`/`COLUMNS` pair, and falls back to 80. We skip the controlling-terminal step:
/// with all three standard fds redirected, output should not depend on whether a terminal
/// happens to be around (golden tests run that way).
enum TerminalWidth {
    static let fallback = 80

    static func current() -> Int {
        for fd: Int32 in [0, 1, 2] {
            var size = winsize()
            if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 {
                return Int(Int16(bitPattern: size.ws_col))
            }
        }
        // Python requires both variables to parse as integers.
        if let lines = environment("LINES"), PythonText.int(lines) != nil,
            let columns = environment("COLUMNS"), let width = PythonText.int(columns)
        {
            return width
        }
        return fallback
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
