#if canImport(Glibc)
import Glibc
#endif

/// Upstream's `ProgressMessageProcess` during `node cp`: `Transfering... <c>` rewritten
/// every 0.2 s (on a terminal or not, as upstream), server messages printed on their own
/// line, and `Transfering... done` at the end.
final class TransferProgress {
    static let message = "Transfering..."
    private let write: (String) -> Void
    private var wheel = 0
    private var last = 0.0

    init(write: @escaping (String) -> Void) {
        self.write = write
    }

    func start() {
        wheel = 0
        draw()
    }

    /// Redraws when 0.2 s have passed.
    func tick() {
        if Self.now() - last >= 0.2 { draw() }
    }

    /// A message from the server (upstream prints each received chunk followed by `\n`).
    func message(_ text: String) {
        write(text + "\n")
    }

    func done() {
        write(Self.message + " done\n")
    }

    private func draw() {
        let wheelChars = ["\\", "|", "/", "-"]
        write(Self.message + " " + wheelChars[wheel] + "\r")
        wheel = (wheel + 1) % 4
        last = Self.now()
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
