#if canImport(Glibc)
import Glibc
#endif

/// How a command ends when a signal cut its session short, once the terminal is back:
/// SIGINT takes upstream's KeyboardInterrupt path (a newline, `Aborted.` on stderr,
/// status 1); SIGTERM and SIGHUP get their default action.
enum SessionExit {
    static func status(after signal: Int32, context: ClientContext) -> Int32 {
        guard signal == SIGINT else { SignalPipe.reraise(signal) }
        context.writeOutput("\n")
        context.writeError("Aborted.\n")
        return 1
    }
}
