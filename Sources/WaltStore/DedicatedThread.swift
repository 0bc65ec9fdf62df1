#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts an OS thread of our own for code that blocks (libpq waits on its socket).
///
/// Blocking calls must not run on the Swift cooperative pool (it has one thread per core,
/// so two slow queries would stall every task of the daemon) nor on a NIO event loop.
enum DedicatedThread {
    /// Starts `body` on a new detached pthread; `name` is only used in error messages
    /// (Glibc's module map does not export `pthread_setname_np`).
    static func start(name: String, _ body: @escaping @Sendable () -> Void) throws(StoreError) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw StoreError(kind: .misuse, message: "cannot start thread \(name): error \(status)")
        }
        pthread_detach(thread)
    }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

extension DedicatedThread {
    /// Runs a rare blocking operation (starting a cluster, running initdb) on a thread of
    /// its own and awaits its result, so the caller's task does not hold a pool thread.
    static func run<T: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            do throws(StoreError) {
                try start(name: name) { continuation.resume(with: Result { try body() }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
