#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt-autocomplete-helper [--debug] TYPE WORD...`: what the completion scripts run for
/// values only the server knows. It asks `shell_autocomplete(username, [TYPE, WORD...])`
/// and prints the answer on one line.
///
/// A shell waits for it on every Tab, so it never prompts (an incomplete configuration is
/// a failure) and gives up after 4 seconds; any failure is exit code 1 with nothing on
/// stdout, which the scripts take as "no completion" rather than a wrong one.
public enum AutocompleteHelperEntry: PersonalityEntry {
    static let timeoutSeconds: UInt32 = 4
    static let usage = """
        Usage: walt-autocomplete-helper [--debug] TYPE WORD...
        Prints the completions of the last WORD, a value of TYPE (NODE, IMAGE, ...), as the
        WalT server proposes them; run by the scripts of `walt advanced dump-bash-autocomplete`.

        """

    public static func main(_ arguments: [String]) -> Int32 {
        if arguments == ["--help"] || arguments == ["-h"] {
            StandardStream.output.write(usage)
            return 0
        }
        var words = arguments
        let debug = words.first == "--debug"
        if debug { words.removeFirst() }
        guard !words.isEmpty else {
            StandardStream.error.write(usage)
            return 2
        }
        if !debug { alarm(timeoutSeconds) }
        do throws(ClientError) {
            let loaded: (config: WaltConfig, migrated: Bool)?
            do { loaded = try ConfigFile.current().load() } catch { throw ClientError(error.description) }
            guard let config = loaded?.config, let username = config.username else {
                throw ClientError("no complete configuration in ~/.walt/config")
            }
            let link = try RPCServerLink.connect(
                config, busy: false, writeOutput: { _ in }, writeError: { debug ? StandardStream.error.write($0) : () })
            let result = try link.call("shell_autocomplete", [.str(username), .list(words.map { .str($0) })],
                                       kwargs: [(.str("debug"), .bool(debug))])
            guard let text = result.stringValue else { return 1 }
            StandardStream.output.write(text + "\n")
            return 0
        } catch {
            if debug { StandardStream.error.write("walt-autocomplete-helper: \(error.message)\n") }
            return 1
        }
    }
}
