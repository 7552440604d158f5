#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// A mutex with a condition variable: the one way in this package for a thread to wait until
/// another changes some state (a bounded queue between a reader and workers, a writer thread
/// waiting for work). Plain mutual exclusion uses `Synchronization.Mutex`; this exists because
/// `Mutex` cannot wait.
///
/// The state it guards lives in the owner's stored properties, read and written only inside
/// ``withLock(_:)``; ``wait()`` and the signals are called there too:
///
/// ```swift
/// condition.withLock {
///     while items.isEmpty && !closed { condition.wait() }
///     ...
/// }
/// ```
package final class ConditionLock: @unchecked Sendable { // the pthread objects are used only through the lock's own calls
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` holding the lock.
    package func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Releases the lock until signalled, then takes it again; call inside ``withLock(_:)``, in a
    /// loop over the condition waited for (a wake-up may be spurious).
    package func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes one waiting thread.
    package func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiting thread.
    package func broadcast() { pthread_cond_broadcast(condition) }
}
