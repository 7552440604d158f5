import Foundation

/// Work waiting for a desk's writer thread (``ApplicationDesk``, ``LoanDesk``): callers push from
/// any task, the writer takes everything waiting (up to a limit) as its next transaction's batch.
/// Closing it refuses new work; the writer drains what was accepted, then marks it finished.
final class WorkQueue<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    private var closedWaiters: [CheckedContinuation<Void, Never>] = []
    private var finished = false
    private var takenTotal = 0

    /// Items taken by the writer so far.
    var takenCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return takenTotal
    }

    /// Items waiting for the writer.
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count
    }

    /// Adds an item; `false` once the queue is closed.
    func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        items.append(item)
        condition.signal()
        return true
    }

    /// Up to `limit` items, waiting for at least one; `nil` once closed and drained.
    func take(upTo limit: Int) -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let count = min(limit, items.count)
        let batch = Array(items.prefix(count))
        items.removeFirst(count)
        takenTotal += count
        return batch
    }

    /// Refuses new items; `waiter` resumes once the writer has finished what was accepted.
    func close(then waiter: CheckedContinuation<Void, Never>) {
        condition.lock()
        closed = true
        if finished {
            condition.unlock()
            waiter.resume()
            return
        }
        closedWaiters.append(waiter)
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the writer when `take` returned `nil`.
    func markFinished() {
        condition.lock()
        finished = true
        let waiters = closedWaiters
        closedWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }
}
