import Synchronization
import WaltStore

/// Resolves log streams (issuer device + stream name) to their `logstreams` ids, and ids
/// back to the names clients see, with caches so a busy node costs no query per line.
///
/// Issuers are found by IP address, as upstream: a peer whose address is not a device's is
/// refused, except the server itself (loopback or its own address), whose streams belong
/// to `walt-server`.
public final class LogStreams: Sendable {
    private let store: PostgresStore
    private let server: ServerIdentity
    private struct Caches {
        var ids: [String: Int] = [:]          // "<mac> <name>" -> id
        var info: [Int: LogStreamInfo] = [:]
    }
    private let caches = Mutex(Caches())

    public init(store: PostgresStore, server: ServerIdentity) {
        self.store = store
        self.server = server
    }

    /// The device that sends from `ip`: (mac, name), or nil if unknown.
    public func issuer(ip: String) async throws -> (mac: String, name: String)? {
        let result = try await store.query("SELECT mac, name FROM devices WHERE ip = \(ip) ORDER BY type = 'server' DESC LIMIT 1",
                                           idempotent: true)
        if let row = result.first, let mac = row["mac"] { return (mac, row["name"] ?? "") }
        if DaemonState.isLocalAddress(ip) || ip == server.ip { return (server.mac, ServerIdentity.deviceName) }
        return nil
    }

    /// The stream id for `name` from device `mac`, created on first use.
    public func streamID(issuerMAC mac: String, issuerName: String, name: String) async throws -> Int {
        let key = mac + " " + name
        if let id = caches.withLock({ $0.ids[key] }) { return id }
        let id = try await LogRepository(store: store).streamID(issuerMAC: mac, name: name)
        caches.withLock {
            $0.ids[key] = id
            $0.info[id] = LogStreamInfo(issuer: issuerName, stream: name)
        }
        return id
    }

    /// A stream of the server itself (`platform.nodes`, `daemon.stderr`...).
    public func serverStreamID(_ name: String) async throws -> Int {
        try await streamID(issuerMAC: server.mac, issuerName: ServerIdentity.deviceName, name: name)
    }

    /// Names of streams, from the cache or else the database.
    public func info(_ ids: some Sequence<Int>) async throws -> [Int: LogStreamInfo] {
        var known: [Int: LogStreamInfo] = [:]
        var missing: [Int] = []
        caches.withLock { caches in
            for id in Set(ids) {
                if let info = caches.info[id] { known[id] = info } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return known }
        let fetched = try await LogRepository(store: store).streamInfo(missing)
        caches.withLock { caches in
            for (id, info) in fetched { caches.info[id] = info }
        }
        return known.merging(fetched) { old, _ in old }
    }

    /// Device names or addresses changed (rename, forget): drop every cached name.
    public func invalidate() {
        caches.withLock { $0 = Caches() }
    }
}
