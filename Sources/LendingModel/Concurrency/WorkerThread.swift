#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// A thread of its own for long blocking work (reading a file, a writer that commits to a
/// database) that must not occupy Swift's cooperative pool: the one way this package starts a
/// thread. Fork-join loops use `DispatchQueue.concurrentPerform` instead.
package final class WorkerThread: @unchecked Sendable { // `thread` is written by init and join, both on the owner's thread
    private var thread: pthread_t?
    private let body: @Sendable () -> Void

    /// Starts `body` on a new thread at once.
    package init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { raw in
            let worker = Unmanaged<WorkerThread>.fromOpaque(raw!).takeRetainedValue()
            worker.body()
            return nil
        }, context)
        precondition(result == 0, "cannot start a thread (error \(result))")
        thread = handle
    }

    /// Waits until the body has returned; a second call returns at once.
    package func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    /// Lets the thread run on without a join (its resources are freed when it ends).
    package func detach() {
        if let thread { pthread_detach(thread) }
        thread = nil
    }
}

/// The number of processors online.
package func onlineProcessorCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// Seconds on a monotonic clock (for progress and durations, never for business dates).
package func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
