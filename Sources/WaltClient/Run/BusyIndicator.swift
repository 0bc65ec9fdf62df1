/// Upstream's busy indicator: while a call runs, `\r<label>... <c>` is rewritten on stdout
/// every 0.1 s with `c` cycling `\|/-`, and erased before any server output and at the
/// end. It only shows when stdin and stdout are both terminals; otherwise it is silent.
public final class BusyIndicator {
    public static let defaultLabel = "Server is working"

    private var enabled: Bool
    private let write: (String) -> Void
    public private(set) var label = BusyIndicator.defaultLabel
    private var shownLength = 0
    private var wheel = 0

    public init(enabled: Bool, write: @escaping (String) -> Void) {
        self.enabled = enabled
        self.write = write
    }

    /// A call starts: the wheel starts over.
    public func start() {
        wheel = 0
        update()
    }

    /// One tick: redraw with the next wheel character.
    public func update() {
        guard enabled else { return }
        erase()
        let wheelChars: [Character] = ["\\", "|", "/", "-"]
        let message = label + "... " + String(wheelChars[wheel])
        write(message)
        shownLength = message.count
        wheel = (wheel + 1) % 4
    }

    /// Removes the message (before server output, and when the call ends).
    public func erase() {
        guard enabled, shownLength > 0 else { return }
        write("\r" + String(repeating: " ", count: shownLength) + "\r")
        shownLength = 0
    }

    /// Upstream's `SilentBusyIndicator`, for a command that owns the screen (`node
    /// console`: its keystrokes are calls, and a spinner would draw over the console).
    public func silence() {
        erase()
        enabled = false
    }

    /// `set_busy_label` (from the server or from a command).
    public func setLabel(_ label: String) {
        self.label = label
    }

    /// `set_default_busy_label`.
    public func setDefaultLabel() {
        label = Self.defaultLabel
    }
}
