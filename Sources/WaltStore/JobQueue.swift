#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A first-in first-out queue of jobs shared by the store's connection threads, built on a
/// pthread mutex and condition variable: idle threads sleep in `next()` without spinning.
///
/// Each job receives the `ManagedConnection` of the thread that runs it, so a connection
/// is only ever touched by its own thread.
final class JobQueue: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `mutex`.
    typealias Job = @Sendable (ManagedConnection) -> Void

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false
    private var runningThreads = 0
    private var onAllExited: [@Sendable () -> Void] = []

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Queues a job; false once the queue is closed (the store was shut down).
    func submit(_ job: @escaping Job) -> Bool {
        let accepted = locked { () -> Bool in
            guard !closed else { return false }
            jobs.append(job)
            return true
        }
        if accepted { pthread_cond_signal(condition) }
        return accepted
    }

    /// Blocks until a job is available; nil when the queue is closed and drained.
    func next() -> Job? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count, !closed {
            pthread_cond_wait(condition, mutex)
        }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head == jobs.count || head > 1024 {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    /// Counts a thread that will call `next()` until it returns nil.
    func threadStarted() {
        locked { runningThreads += 1 }
    }

    /// Called by a thread on its way out; the last one runs the `close` callbacks.
    func threadExited() {
        let callbacks = locked { () -> [@Sendable () -> Void] in
            runningThreads -= 1
            guard runningThreads == 0 else { return [] }
            defer { onAllExited = [] }
            return onAllExited
        }
        callbacks.forEach { $0() }
    }

    /// Refuses new jobs, lets the threads finish the queued ones, and calls `done` once
    /// every thread has exited.
    func close(done: @escaping @Sendable () -> Void) {
        let finishedAlready = locked { () -> Bool in
            closed = true
            if runningThreads == 0 { return true }
            onAllExited.append(done)
            return false
        }
        pthread_cond_broadcast(condition)
        if finishedAlready { done() }
    }
}
