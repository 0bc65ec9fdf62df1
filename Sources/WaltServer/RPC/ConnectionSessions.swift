import Synchronization

/// Something a client opened through its RPC link and that must not outlive it (an image
/// shell or file-transfer session, a build session): `cleanup()` runs when the link closes.
protocol ConnectionSession: AnyObject, Sendable {
    func cleanup() async
}

/// The session objects of one RPC connection (upstream `APISession.session_objects`):
/// their ids are their indexes, as upstream hands them out (0, 1, ...), so ids only mean
/// something on the connection that made them and a client cannot reach another's.
final class ConnectionSessions: Sendable {
    private let objects = Mutex<[any ConnectionSession]>([])

    func register(_ object: any ConnectionSession) -> Int {
        objects.withLock { objects in
            objects.append(object)
            return objects.count - 1
        }
    }

    func object<T: ConnectionSession>(_ id: Int?, as type: T.Type) -> T? {
        guard let id else { return nil }
        return objects.withLock { objects in
            objects.indices.contains(id) ? objects[id] as? T : nil
        }
    }

    /// Called once the connection is gone.
    func cleanupAll() async {
        let all = objects.withLock { objects in
            defer { objects.removeAll() }
            return objects
        }
        for object in all { await object.cleanup() }
    }
}
