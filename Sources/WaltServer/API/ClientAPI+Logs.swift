import WaltCommon
import WaltStore

/// CSAPI methods of `walt log`: checkpoints and log counts (server.md §6).
extension ClientAPI {
    static let logMethods: [String: APIMethod] = [
        "add_checkpoint": APIMethod(["cp_name", "date"], required: 1) { context, args in
            let date: Double? = switch args["date"] {
            case .float(let value): value
            case .int(let value): (try? value.exactly(Int.self)).map(Double.init)
            default: nil
            }
            try await Checkpoints(context).add(name: try args.string("cp_name"), date: date)
            return .none
        },
        "remove_checkpoint": APIMethod(["cp_name"]) { context, args in
            try await Checkpoints(context).remove(name: try args.string("cp_name"))
            return .none
        },
        "list_checkpoints": APIMethod { context, _ in
            try await Checkpoints(context).list()
            return .none
        },
        "get_checkpoint_time": APIMethod(["cp_name"]) { context, args in
            guard let time = try await Checkpoints(context).time(name: try args.string("cp_name")) else { return .none }
            return .float(time)
        },
        "count_logs": APIMethod(["history", "issuers", "streams_regexp", "logline_regexp", "exclude_consoles", "stream_mode"],
                                required: 0) { context, args in
            var pairs: [(key: PyValue, value: PyValue)] = []
            for name in ["history", "issuers", "streams_regexp", "logline_regexp", "exclude_consoles"] {
                pairs.append((.str(name), args[name]))
            }
            let query: LogQuery
            do {
                query = try LogQuery(parameters: pairs)
            } catch {
                throw CallArguments.Mismatch(message: "count_logs(): \(error)")
            }
            let store = context.daemon.store
            let (count, _) = try await context.daemon.logHub.readAfterFlush { try await LogRepository(store: store).count(query) }
            return .int(PyInt(count))
        },
    ]
}

/// Per-user checkpoints (named instants for `walt log show --history`), with upstream's
/// messages. Stored as naive local times in `checkpoints.timestamp`, as upstream.
struct Checkpoints {
    let store: PostgresStore
    let requester: any Requester

    init(_ context: APIContext) {
        store = context.daemon.store
        requester = context.requester
    }

    private static let localText: SQL = "to_char(timestamp, 'YYYY-MM-DD HH24:MI:SS.US') AS ts"

    /// (found, timestamp text) or nil when the client went away.
    private func lookup(_ name: String, username: String) async throws -> String?? {
        let result = try await store.query(
            "SELECT \(Self.localText) FROM checkpoints WHERE name = \(name) AND username = \(username) LIMIT 1",
            idempotent: true)
        guard let row = result.first else { return .some(nil) }
        return .some(row["ts"])
    }

    func add(name: String, date: Double?) async throws {
        guard let username = try await requester.username(), !username.isEmpty else { return }
        if try await lookup(name, username: username) != .some(nil) {
            try await requester.stderr("Failed: a checkpoint with this name already exists.\n")
            return
        }
        guard let when = LocalTime.dateTime(date ?? ServerClock.now()) else { return }
        let text = LocalTime.text(when)
        try await store.query(
            "INSERT INTO checkpoints (name, username, timestamp) VALUES (\(name), \(username), \(text)::timestamp)")
        try await requester.stdout("New checkpoint \(name) recorded at server time: \(text).\n")
    }

    func remove(name: String) async throws {
        guard let username = try await requester.username(), !username.isEmpty else { return }
        guard try await lookup(name, username: username) != .some(nil) else {
            try await requester.stderr("Failed: no checkpoint with this name '\(name)'.\n")
            return
        }
        try await store.query("DELETE FROM checkpoints WHERE name = \(name) AND username = \(username)")
        try await requester.stdout("Done.\n")
    }

    func list() async throws {
        guard let username = try await requester.username(), !username.isEmpty else { return }
        let result = try await store.query(
            "SELECT \(Self.localText), name FROM checkpoints WHERE username = \(username)", idempotent: true)
        if result.isEmpty {
            try await requester.stdout("You own no checkpoints.\n")
            return
        }
        let rows: [[String?]] = result.rows.map { row in
            [row["ts"].map(Self.pythonText), row["name"]]
        }
        try await requester.stdout(Columnate.plain(header: ["timestamp", "name"], rows: rows) + "\n")
    }

    func time(name: String) async throws -> Double? {
        guard let username = try await requester.username(), !username.isEmpty else { return nil }
        guard case .some(.some(let text)) = try await lookup(name, username: username) else {
            try await requester.stderr("Failed: no checkpoint with this name '\(name)'.\n")
            return nil
        }
        return Self.dateTime(text).map(LocalTime.timestamp)
    }

    /// `str(datetime)`: the microseconds only when not zero.
    static func pythonText(_ text: String) -> String {
        text.hasSuffix(".000000") ? String(text.dropLast(7)) : text
    }

    /// Parses `YYYY-MM-DD HH:MM:SS.ffffff`.
    static func dateTime(_ text: String) -> PyDateTime? {
        let parts = text.split(whereSeparator: { " -:.".contains($0) }).compactMap { Int($0) }
        guard parts.count == 7 else { return nil }
        return try? PyDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                               second: parts[5], microsecond: parts[6])
    }
}
