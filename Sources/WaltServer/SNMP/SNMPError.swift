/// Why an SNMP exchange failed.
enum SNMPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No answer from the agent after every retry. Agents also stay silent on a wrong
    /// community, so this is what a bad `snmp.community` setting looks like.
    case timeout(host: String)
    /// The agent answered with a non-zero error-status; `index` is the 1-based position of
    /// the varbind at fault (0: none in particular), `name` the RFC 3416 name of `code`.
    case errorStatus(code: Int, index: Int, name: String)
    /// Bytes that are not an SNMP v1/v2c message we understand.
    case malformed(String)
    /// A request we cannot encode (an OID with fewer than two arcs, a first arc above 2).
    case invalidRequest(String)
    /// The agent returned an OID not after the previous one while walking (agent loop).
    case nonIncreasing(previous: SNMPObjectID, next: SNMPObjectID)
    /// A walk went past its bound on the number of varbinds.
    case tooManyVarBinds(limit: Int)
    /// The socket could not be made, or the host is not an IPv4 address.
    case socket(String)

    init(status code: Int, index: Int) {
        self = .errorStatus(code: code, index: index, name: Self.statusName(code))
    }

    /// RFC 3416 error-status names (0–5 are also SNMPv1's).
    static func statusName(_ code: Int) -> String {
        let names = ["noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess",
                     "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation",
                     "inconsistentValue", "resourceUnavailable", "commitFailed", "undoFailed",
                     "authorizationError", "notWritable", "inconsistentName"]
        return names.indices.contains(code) ? names[code] : "error \(code)"
    }

    var description: String {
        switch self {
        case .timeout(let host): "no SNMP answer from \(host)"
        case .errorStatus(let code, let index, let name):
            index > 0 ? "SNMP error \(name) (\(code)) on varbind \(index)" : "SNMP error \(name) (\(code))"
        case .malformed(let why): "malformed SNMP message: \(why)"
        case .invalidRequest(let why): "invalid SNMP request: \(why)"
        case .nonIncreasing(let previous, let next): "SNMP agent loop: \(next) does not follow \(previous)"
        case .tooManyVarBinds(let limit): "SNMP walk stopped after \(limit) values"
        case .socket(let why): "SNMP socket: \(why)"
        }
    }
}
