#if canImport(Glibc)
import Glibc
#endif
import WaltCommon

/// `walt log show` and `walt log wait`, as upstream's `WalTLogShow.main` and
/// `WalTLogWait.main`: the same RPC calls in the same order (`parse_set_of_devices`,
/// `get_time`, `get_checkpoint_time`, `count_logs`), the same messages, then a
/// `REQ_DUMP_LOGS` stream on port 12347 whose records (one pickled dict each) are printed
/// with `--format`, flushed one by one. Ctrl-C ends it with status 1.
struct LogShow {
    let link: RPCServerLink
    let context: ClientContext
    let terminal: Terminal

    func run(_ invocation: Invocation) throws(ClientError) -> Int32 {
        let realtime = invocation.flag("realtime")
        let historyText = invocation.string("history") ?? "none"
        if !realtime && historyText == "none" {
            context.writeOutput("You must specify at least 1 of the options --realtime and --history.\n"
                + "See 'walt help show log-realtime' and 'walt help show log-history' for more info.\n")
            return 0
        }
        guard let (issuers, streams, regexp) = try selection(invocation) else { return 0 }
        let history: PyValue
        switch try historyRange(historyText) {
        case .malformed:
            context.writeOutput("Invalid HISTORY_RANGE. See 'walt help show log-history' for more info.\n")
            return 0
        case .badRelativeDate:
            context.writeOutput("Invalid relative date. Should be: -<int>[dhms] (e.g. '-6h' for 'six hours ago')\n")
            return 1
        case .range(let value):
            history = value
        }
        let streamsValue = streams.map(PyValue.str) ?? .none
        if history != .none, regexp == nil, Terminal.isInteractive {
            let count = try link.call("count_logs", [], kwargs: [
                (.str("history"), history), (.str("issuers"), issuers), (.str("streams_regexp"), streamsValue),
            ])
            if let number = count.intValue, number > 1000 {
                context.writeOutput("This will display approximately \(number) log records from history.\n")
                if !terminal.confirm() { return 0 }
            }
        }
        return try display(invocation, history: history, realtime: realtime, issuers: issuers,
                           streams: streams, regexp: regexp)
    }

    /// `walt log wait`: realtime (plus the last `--time-margin` seconds) until a line matches
    /// (`ANY`), or one of each issuer did (`ALL`); "Timeout was reached." after `--timeout`.
    func wait(_ invocation: Invocation) throws(ClientError) -> Int32 {
        guard let (issuers, streams, regexp) = try selection(invocation) else { return 0 }
        var history = PyValue.none
        let margin = invocation.int("time-margin") ?? 0
        if margin != 0, case .range(let range) = try historyRange("-\(margin)s:") {
            history = range
        }
        var missing = Set((issuers.sequenceItems ?? []).compactMap { $0.stringValue })
        let all = (invocation.string("mode") ?? "ANY").uppercased() == "ALL"
        let timeout = invocation.int("timeout") ?? -1
        return try display(invocation, history: history, realtime: true, issuers: issuers, streams: streams,
                           regexp: regexp, timeout: timeout > 0 ? timeout : nil) { issuer in
            missing.remove(issuer)
            return !all || missing.isEmpty
        }
    }

    /// The issuers (nil: the server said why there are none), streams and line regexp.
    private func selection(_ invocation: Invocation) throws(ClientError) -> (PyValue, String?, String?)? {
        var issuersSet = invocation.string("issuers") ?? "my-nodes"
        var streams = invocation.string("streams")
        if invocation.flag("platform") {
            (issuersSet, streams) = ("server", "platform.*")
        } else if invocation.flag("server") {
            (issuersSet, streams) = ("server", "daemon.*")
        }
        var regexp: String?
        if case .string(let text)? = invocation.positional("logline_regexp"), text != "None" { regexp = text }
        for pattern in [streams, regexp].compactMap({ $0 }) where !Self.isValidRegex(pattern) {
            context.writeOutput("Invalid regular expression: \(pattern).\n")
            return nil
        }
        let issuers = try link.call("parse_set_of_devices", [.str(issuersSet)],
                                    kwargs: [(.str("allowed_device_set"), .str("server,all-nodes"))])
        return issuers == .none ? nil : (issuers, streams, regexp)
    }

    private func display(_ invocation: Invocation, history: PyValue, realtime: Bool, issuers: PyValue,
                         streams: String?, regexp: String?, timeout: Int? = nil,
                         stop: ((String) -> Bool)? = nil) throws(ClientError) -> Int32 {
        let format: LogFormat
        do {
            format = try LogFormat(invocation.string("format") ?? LogCommands.defaultFormat)
        } catch {
            context.writeOutput("Could not display the log record.\nVerify your format string.\n")
            return 1
        }
        let params: PyValue = .dict([
            (.str("history"), history), (.str("realtime"), .bool(realtime)), (.str("issuers"), issuers),
            (.str("streams_regexp"), streams.map(PyValue.str) ?? .none),
            (.str("logline_regexp"), regexp.map(PyValue.str) ?? .none),
        ])
        return try stream(params, format: format, timeout: timeout, stop: stop)
    }

    enum HistoryRange {
        case range(PyValue)
        case malformed
        case badRelativeDate
    }

    /// Upstream's `analyse_history_range`: `none`, `full`, or `<start>:<end>` where each
    /// bound is empty, `-<int><s|m|h|d>` before the server's time, or a checkpoint.
    func historyRange(_ text: String) throws(ClientError) -> HistoryRange {
        let serverTime = try link.call("get_time").floatValue ?? 0
        switch text.lowercased() {
        case "none": return .range(.none)
        case "full": return .range(.tuple([.none, .none]))
        default: break
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return .malformed }
        var bounds: [Double?] = []
        for part in parts {
            if part.isEmpty {
                bounds.append(nil)
            } else if part.hasPrefix("-") {
                guard let delay = Checkpoints.relativeDelay(part) else { return .badRelativeDate }
                bounds.append(serverTime - Double(delay))
            } else if Checkpoints.isValidName(part) {
                guard let time = try link.call("get_checkpoint_time", [.str(part)]).floatValue else { return .malformed }
                bounds.append(time)
            } else {
                return .malformed
            }
        }
        if let start = bounds[0], let end = bounds[1], start > end {
            context.writeOutput("Issue with the HISTORY_RANGE specified: the starting point is newer than the ending point.\n")
            return .malformed
        }
        return .range(.tuple(bounds.map { $0.map(PyValue.float) ?? .none }))
    }

    /// Sends the dump request and prints records until the server ends the stream (history
    /// only) or the user presses Ctrl-C.
    private func stream(_ params: PyValue, format: LogFormat, timeout: Int?,
                        stop: ((String) -> Bool)?) throws(ClientError) -> Int32 {
        guard let host = link.config.server else { throw ClientError("the configuration has no walt.server") }
        let socket: BlockingSocket
        do {
            socket = try BlockingSocket(host: host, port: WaltPorts.streams, timeoutMilliseconds: 10_000)
            try socket.send(Array("1\n".utf8) + PickleEncoder.encode(params))
        } catch {
            throw ClientError(verbatim: "Network connection to WalT server failed! (\(error))")
        }
        Interruption.catchInterrupt()
        let deadline = timeout.map { Self.monotonicSeconds() + Double($0) }
        var framer = RPCFramer()
        framer.switchMode(to: .pickle4)
        while true {
            do {
                while let record = try framer.nextValue() {
                    guard let line = Self.render(record, format) else {
                        context.writeOutput("Could not display the log record.\nVerify your format string.\n")
                        return 1
                    }
                    context.writeOutput(line + "\n")
                    if let stop, let issuer = record["issuer"]?.stringValue, stop(issuer) { return 0 }
                }
            } catch {
                return 0   // upstream's read_pickle failure ends the display
            }
            while !socket.waitReadable(milliseconds: 200) {
                if Interruption.happened {
                    context.writeOutput("\n")
                    return 1
                }
                if let deadline, Self.monotonicSeconds() >= deadline {
                    context.writeOutput("Timeout was reached.\n")
                    return 1
                }
            }
            guard let bytes = try? socket.receive(), !bytes.isEmpty else { return 0 }
            framer.feed(bytes)
        }
    }

    static func render(_ record: PyValue, _ format: LogFormat) -> String? {
        guard case .datetime(let timestamp)? = record["timestamp"], let issuer = record["issuer"]?.stringValue,
              let stream = record["stream"]?.stringValue, let line = record["line"]?.stringValue else { return nil }
        return try? format.render(timestamp: timestamp, issuer: issuer, stream: stream, line: line)
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The server matches with POSIX extended regular expressions.
    static func isValidRegex(_ pattern: String) -> Bool {
        var compiled = regex_t()
        defer { regfree(&compiled) }
        return regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB) == 0
    }
}

/// Ctrl-C while streaming: noted by a signal handler, checked between reads.
enum Interruption {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var happened: Bool { flag != 0 }

    static func catchInterrupt() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interruption.flag = 1 }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
    }
}
