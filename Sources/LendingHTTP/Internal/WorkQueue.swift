import Foundation
import LendingModel
import ServiceLifecycle
import LendingStorePorts

/// Work waiting for a desk's writer thread (``ApplicationDesk``, ``LoanDesk``): callers push from
/// any task, the writer takes everything waiting (up to a limit) as its next transaction's batch.
/// Closing it refuses new work; the writer drains what was accepted, then marks it finished.
final class WorkQueue<Item: Sendable>: @unchecked Sendable { // its vars are read and written only under `condition`
    private let condition = ConditionLock()
    private var items: [Item] = []
    private var closed = false
    private var closedWaiters: [CheckedContinuation<Void, Never>] = []
    private var finished = false
    private var takenTotal = 0

    /// Items taken by the writer so far.
    var takenCount: Int { condition.withLock { takenTotal } }

    /// Items waiting for the writer.
    var count: Int { condition.withLock { items.count } }

    /// Adds an item; `false` once the queue is closed.
    func push(_ item: Item) -> Bool {
        condition.withLock {
            guard !closed else { return false }
            items.append(item)
            condition.signal()
            return true
        }
    }

    /// Up to `limit` items, waiting for at least one; `nil` once closed and drained.
    func take(upTo limit: Int) -> [Item]? {
        condition.withLock {
            while items.isEmpty && !closed { condition.wait() }
            guard !items.isEmpty else { return nil }
            let count = min(limit, items.count)
            let batch = Array(items.prefix(count))
            items.removeFirst(count)
            takenTotal += count
            return batch
        }
    }

    /// Refuses new items; `waiter` resumes once the writer has finished what was accepted.
    func close(then waiter: CheckedContinuation<Void, Never>) {
        let resumeNow = condition.withLock { () -> Bool in
            closed = true
            if finished { return true }
            closedWaiters.append(waiter)
            condition.broadcast()
            return false
        }
        if resumeNow { waiter.resume() }
    }

    /// Called by the writer when `take` returned `nil`.
    func markFinished() {
        let waiters = condition.withLock { () -> [CheckedContinuation<Void, Never>] in
            finished = true
            defer { closedWaiters = [] }
            return closedWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The shell of a desk's writer (``ApplicationDesk``, ``LoanDesk``), with group commit: one
/// thread of its own takes everything waiting (up to ``maximumBatch``) and hands it to the desk's
/// `process` as the next transaction's batch, so a slow commit never blocks Swift's cooperative
/// threads. ``shutdown()`` refuses new work and returns once the work accepted is processed.
final class GroupCommitWriter<Item: Sendable>: Sendable {
    private let queue = WorkQueue<Item>()
    /// Items processed together at most.
    let maximumBatch: Int

    /// Starts the writer thread.
    /// - Parameters:
    ///   - maximumBatch: items per batch at most.
    ///   - process: runs one batch (one transaction) on the writer thread and answers its items.
    init(maximumBatch: Int, process: @escaping @Sendable ([Item]) -> Void) {
        precondition(maximumBatch > 0, "a batch holds at least one item")
        self.maximumBatch = maximumBatch
        let queue = queue
        WorkerThread {
            while let batch = queue.take(upTo: maximumBatch) { process(batch) }
            queue.markFinished()
        }.detach()
    }

    /// Hands the item made with the caller's continuation to the writer and waits for its answer.
    /// - Throws: what the writer resumes the continuation with, or ``HTTPServiceError`` 503
    ///   (`http.shutting_down`, saying `then`) once the writer is shut down.
    func submit<Answer>(then: String, _ item: (CheckedContinuation<Answer, any Error>) -> Item) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            if !queue.push(item(continuation)) {
                continuation.resume(throwing: HTTPServiceError(.serviceUnavailable, code: "http.shutting_down",
                                                               message: "the service is shutting down; \(then)"))
            }
        }
    }

    /// Items accepted and not yet taken by the writer.
    var waitingCount: Int { queue.count }
    /// Items taken by the writer so far.
    var takenCount: Int { queue.takenCount }

    /// Waits for graceful shutdown (a desk's `Service.run()`), then ``shutdown()``.
    func runUntilGracefulShutdown() async {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stops taking items; returns once the ones already accepted are processed and answered.
    func shutdown() async {
        await withCheckedContinuation { continuation in queue.close(then: continuation) }
    }
}

/// A request of a desk's batch, with the `Idempotency-Key` to commit with its record.
protocol KeyedRequest {
    var ticket: IdempotencyTicket? { get }
}

extension GroupCommitWriter where Item: KeyedRequest {
    /// Records the Idempotency-Keys of a batch's requests with the responses their answers make,
    /// in the transaction of their records (when the store's transaction can:
    /// ``IdempotencyRecording``). Mark the tickets recorded once the transaction has committed.
    /// - Parameter response: the response an answer makes (`nil`: not kept, ``RouteAnswer/stored(_:)``).
    static func recordKeys<Answer>(of batch: [Item], _ answers: [Answer], in transaction: Any,
                                   response: (Answer) -> StoredResponse?) throws -> [(IdempotencyTicket, StoredResponse)] {
        guard let recorder = transaction as? any IdempotencyRecording else { return [] }
        var recorded: [(IdempotencyTicket, StoredResponse)] = []
        for (item, answer) in zip(batch, answers) {
            guard let ticket = item.ticket, let stored = response(answer) else { continue }
            recorded.append((ticket, stored))
        }
        if !recorded.isEmpty { try recorder.record(recorded.map { $0.0.completedRequest($0.1) }) }
        return recorded
    }
}
