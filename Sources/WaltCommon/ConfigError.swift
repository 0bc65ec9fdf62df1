/// A configuration file that cannot be used, with the line at fault (0 when the problem
/// is not on one line, e.g. the file cannot be read).
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    /// `line 3: tabs are not allowed in indentation`.
    public var description: String {
        line > 0 ? "line \(line): \(message)" : message
    }
}
