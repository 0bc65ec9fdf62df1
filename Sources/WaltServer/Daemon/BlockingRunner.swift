import Dispatch

/// Runs async daemon code from the synchronous multi-call entry.
///
/// The entry stays synchronous so that the client and the tools never start the concurrency
/// runtime's main executor; only the daemon pays for it, here.
enum BlockingRunner {
    private final class Box: @unchecked Sendable {
        var code: Int32 = 1
    }

    static func run(_ body: @escaping @Sendable () async -> Int32) -> Int32 {
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.code = await body()
            done.signal()
        }
        done.wait()
        return box.code
    }
}
