#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// The user's terminal: whether the standard streams are ttys, and line input with and
/// without echo, as Python's `input()` and `getpass()`.
public struct Terminal {
    public let write: (String) -> Void
    /// Reads one line without its newline; nil at end of input.
    public let read: () -> String?
    /// Shows a prompt and reads a line without echoing it (passwords); by default as
    /// `readWithoutEcho`.
    public let askSecret: (_ prompt: String) -> String?

    public init(write: @escaping (String) -> Void = { StandardStream.output.write($0) },
                read: @escaping () -> String? = { readLine(strippingNewline: true) },
                askSecret: ((String) -> String?)? = nil) {
        self.write = write
        self.read = read
        self.askSecret = askSecret ?? { Self.readWithoutEcho(prompt: $0, write: write) }
    }

    /// True when file descriptor `fd` is a terminal.
    public static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Upstream's test for prompts and the busy indicator: stdin and stdout are ttys.
    public static var isInteractive: Bool { isTTY(0) && isTTY(1) }

    /// Prints `prompt` and reads one line (without its newline); nil at end of input.
    public func ask(_ prompt: String) -> String? {
        write(prompt)
        return read()
    }

    /// Python's `getpass` on stdin: echo off (when stdin is a terminal) before the prompt
    /// is shown, so that nothing typed after it can echo; one line read; echo back on and a
    /// newline written (the one typed was not shown).
    static func readWithoutEcho(prompt: String, write: (String) -> Void) -> String? {
        var saved = termios()
        let isTerminal = tcgetattr(0, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        write(prompt)
        defer {
            if isTerminal {
                tcsetattr(0, TCSAFLUSH, &saved)
                write("\n")
            }
        }
        return readLine(strippingNewline: true)
    }

    /// Upstream's `ask_config_item`: `<key>: `, asked again while blank.
    public func askItem(_ key: String, secret: Bool = false) -> String? {
        while true {
            guard let value = secret ? askSecret(key + ": ") : ask(key + ": ") else { return nil }
            if !value.allSatisfy({ $0 == " " || $0 == "\t" }) { return value }
        }
    }

    /// Upstream's `yes_or_no`: `<msg> (y/n): ` until `y` or `n`; prints `okMessage` /
    /// `koMessage` (with a newline) when given. nil at end of input.
    public func yesOrNo(_ message: String, okMessage: String? = "OK.\n", koMessage: String? = "OK.\n") -> Bool? {
        while true {
            guard let answer = ask(message + " (y/n): ") else { return nil }
            switch answer {
            case "y":
                if let okMessage { write(okMessage + "\n") }
                return true
            case "n":
                if let koMessage { write(koMessage + "\n") }
                return false
            default:
                write("Invalid response.\n")
            }
        }
    }

    /// Upstream's `confirm()`: `Are you sure? (y/n): `, `Aborted.` on `n`.
    public func confirm() -> Bool {
        yesOrNo("Are you sure?", koMessage: "Aborted.") ?? false
    }
}
