import WaltCommon

/// A session with a WalT server for Swift programs, the twin of upstream's
/// `from walt.client import api`: typed calls for nodes, devices and logs over one CSAPI
/// link. The server's messages are collected instead of printed; a call the server
/// refuses (it returns None or False) throws `WaltAPIError` carrying them.
public final class WaltSession {
    private let link: RPCServerLink
    private var messages: [String] = []
    /// What the server printed through `stdout.write` during the last call.
    public private(set) var lastOutput = ""

    /// Connects with `~/.walt/config`, or with the server and username given.
    public init(server: String? = nil, username: String? = nil) throws(WaltAPIError) {
        var config: WaltConfig
        let file = ConfigFile.current()
        do {
            config = try file.load()?.config ?? WaltConfig()
        } catch {
            throw WaltAPIError(error.description)
        }
        if let server { config.server = server }
        if let username { config.username = username }
        guard config.server != nil, config.username != nil else {
            throw WaltAPIError("no server or username: pass them, or run walt once to write ~/.walt/config")
        }
        let collector = Collector()
        do {
            // Registry credential prompts go to the terminal, as upstream's input() does.
            link = try RPCServerLink.connect(
                config, busy: false, writeOutput: { collector.output += $0 }, writeError: { collector.errors.append($0) },
                registries: RegistryCredentials(config: config, file: file))
        } catch {
            throw WaltAPIError(error)
        }
        self.collector = collector
        link.callbacks.clientType = "api"
    }

    /// Where callbacks write while a call runs.
    final class Collector {
        var output = ""
        var errors: [String] = []
    }

    private let collector: Collector

    public var username: String { link.username }

    /// Calls `method`. The server reports failures with a message on stderr and an empty
    /// result (None, False, an empty tuple): those throw, with the message.
    @discardableResult
    public func call(_ method: String, _ args: [PyValue] = [], kwargs: [(key: PyValue, value: PyValue)] = [],
                     allowNone: Bool = false) throws(WaltAPIError) -> PyValue {
        collector.output = ""
        collector.errors = []
        let result: PyValue
        do {
            result = try link.call(method, args, kwargs: kwargs)
        } catch {
            throw WaltAPIError(error)
        }
        lastOutput = collector.output
        let details = collector.errors.map { $0.trimmingTrailingNewlines() }
        let empty = result.isNone || result == false || result.sequenceItems?.isEmpty == true
        // Upstream hands a server-side exception back as the result value.
        var raised: String?
        if case .exception(let exception) = result {
            raised = exception.typeName + (exception.args.first?.stringValue.map { ": " + $0 } ?? "")
        }
        if result == false || (result.isNone && !allowNone) || (empty && !details.isEmpty) || raised != nil {
            throw WaltAPIError(details.first ?? raised ?? "\(method) failed",
                               details: Array(details.dropFirst()) + ["method: \(method)"])
        }
        return result
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}
