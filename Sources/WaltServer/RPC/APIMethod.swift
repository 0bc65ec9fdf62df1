import WaltCommon

/// What an API method sees of its caller: the callbacks it may make and the daemon's state.
public struct APIContext {
    public let api: RPCAPIName
    public let requester: any Requester
    public let daemon: DaemonState
    /// The peer's IP address (nodes are identified by it).
    public let remoteIP: String?
    /// Objects that live as long as this RPC connection (image shell and build sessions).
    let sessions: ConnectionSessions
}

/// One method of an API: its Python signature, and its body.
public struct APIMethod: Sendable {
    public let parameters: [String]
    public let required: Int
    public let defaults: [String: PyValue]
    public let body: @Sendable (APIContext, CallArguments) async throws -> PyValue

    public init(_ parameters: [String] = [], required: Int? = nil, defaults: [String: PyValue] = [:],
                _ body: @escaping @Sendable (APIContext, CallArguments) async throws -> PyValue) {
        self.parameters = parameters
        self.required = required ?? parameters.count - defaults.count
        self.defaults = defaults
        self.body = body
    }
}

/// The client-side services a method can call back (protocol.md §1.4), as upstream's
/// `requester`. Callbacks to a client that went away answer `None`, like upstream.
public protocol Requester: AnyObject {
    func call(_ path: String, _ args: [PyValue]) async throws -> PyValue
}

extension Requester {
    public func stdout(_ text: String) async throws {
        _ = try await call("stdout.write", [.str(text)])
        _ = try await call("stdout.flush", [])
    }

    public func stderr(_ text: String) async throws {
        _ = try await call("stderr.write", [.str(text)])
        _ = try await call("stderr.flush", [])
    }

    /// The username the client claims (WalT has no authentication in its default mode).
    public func username() async throws -> String? {
        try await call("get_username", []).stringValue
    }

    public func setBusyLabel(_ label: String) async throws {
        _ = try await call("set_busy_label", [.str(label)])
    }
}
