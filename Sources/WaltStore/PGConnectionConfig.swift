/// Where and how to connect: libpq keyword/value pairs.
///
/// Built either from a DSN (`postgresql://...` or `host=... dbname=...`, as written in
/// `/etc/walt/server.conf`) or from a Unix socket directory, as the embedded cluster gives.
public struct PGConnectionConfig: Sendable, Equatable {
    /// libpq connection keywords in order; later ones override earlier ones.
    public var parameters: [(key: String, value: String)]

    public init(parameters: [(key: String, value: String)]) {
        self.parameters = parameters
    }

    /// A libpq connection string or URI, expanded by libpq itself (`expand_dbname`).
    public static func dsn(_ dsn: String) -> PGConnectionConfig {
        PGConnectionConfig(parameters: [("dbname", dsn)])
    }

    /// A server reached through the Unix socket `<directory>/.s.PGSQL.<port>`.
    public static func socket(
        directory: String, port: Int, database: String, user: String? = nil
    ) -> PGConnectionConfig {
        var parameters: [(key: String, value: String)] = [
            ("host", directory), ("port", String(port)), ("dbname", database),
        ]
        if let user { parameters.append(("user", user)) }
        return PGConnectionConfig(parameters: parameters)
    }

    /// The same server, another database (e.g. `postgres` to create `walt`).
    public func with(database: String) -> PGConnectionConfig {
        var copy = self
        copy.parameters.append(("dbname", database))
        return copy
    }

    /// What we add to every connection: a short connect timeout, a name in
    /// `pg_stat_activity`, and no NOTICE chatter ("relation exists, skipping") on stderr.
    var effectiveParameters: [(key: String, value: String)] {
        [
            ("connect_timeout", "10"),
            ("application_name", "walt-server-daemon"),
            ("options", "-c client_min_messages=warning"),
        ] + parameters
    }

    /// The parameters as one libpq conninfo string (`key='value' ...`), for programs such as
    /// psql that take it as their database argument; a DSN given whole is expanded by libpq.
    public var conninfo: String {
        parameters.map { key, value in
            var quoted = ""
            for char in value {
                if char == "'" || char == "\\" { quoted.append("\\") }
                quoted.append(char)
            }
            return "\(key)='\(quoted)'"
        }.joined(separator: " ")
    }

    /// For messages: the parameters without any password.
    public var redactedDescription: String {
        parameters.map { key, value in
            if key == "password" { return "password=***" }
            if key == "dbname", value.contains("://") || value.contains("=") {
                return "dsn=\(Self.redactURI(value))"
            }
            return "\(key)=\(value)"
        }.joined(separator: " ")
    }

    /// Hides `:password@` in a URI and `password=` in a keyword string.
    static func redactURI(_ dsn: String) -> String {
        if dsn.contains("password=") {
            return dsn.split(separator: " ").map {
                $0.hasPrefix("password=") ? "password=***" : String($0)
            }.joined(separator: " ")
        }
        // URI form: postgresql://user:secret@host/db → postgresql://user:***@host/db
        let characters = Array(dsn)
        guard let schemeEnd = (0..<max(0, characters.count - 2)).first(where: {
                  characters[$0] == ":" && characters[$0 + 1] == "/" && characters[$0 + 2] == "/"
              }),
              let at = characters.lastIndex(of: "@"), at > schemeEnd + 3,
              let colon = characters[(schemeEnd + 3)..<at].firstIndex(of: ":")
        else { return dsn }
        return String(characters[...colon]) + "***" + String(characters[at...])
    }

    public static func == (lhs: PGConnectionConfig, rhs: PGConnectionConfig) -> Bool {
        lhs.parameters.map { [$0.key, $0.value] } == rhs.parameters.map { [$0.key, $0.value] }
    }
}
