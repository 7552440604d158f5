import Dispatch
import Foundation
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending eod --as-of DATE` does: runs end of day through `asOf` for every active loan
/// (``Servicing/endOfDay(_:asOf:terms:into:)``: daily interest, penalty after grace, falling
/// due, overpayment applied, days past due, bucket, non-accrual), catching up every missed day
/// of each loan, and posts the entries on the hash chain.
///
/// A batch of loans per transaction: read in storage order, computed on every core (decode,
/// end of day, encode), sealed in order on the chain (one writer), written with the chain head.
/// A kill loses at most the batch in progress; running again continues where it stopped. A
/// loan already processed through `asOf` is not read again, so running a date twice changes
/// nothing.
///
/// Servicing only: `lending eod` runs post-loan after it for the same date (``CloseOfDayJob`` in
/// LendingPostLoan).
public struct EndOfDayJob {
    public var asOf: CalendarDay
    public var products: ProductCatalog
    /// Loans per transaction.
    public var batchSize: Int
    /// Threads computing a batch (the chain is sealed on one).
    public var threads: Int

    public init(asOf: CalendarDay, products: ProductCatalog, batchSize: Int = 10_000,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.asOf = asOf
        self.products = products
        self.batchSize = max(1, batchSize)
        self.threads = max(1, threads)
    }

    public struct Summary: Sendable, Equatable {
        /// Loans run (each through `asOf`, however many days it caught up).
        public var loans = 0
        /// Journal entries posted.
        public var entries = 0
        /// Loans that became paid off (their last installment settled by overpayment held).
        public var closed = 0
        /// Installments that fell due.
        public var installmentsDue = 0
        public var seconds = 0.0
    }

    public struct Progress: Sendable {
        public var loans: Int
        public var seconds: Double
    }

    /// Runs the job.
    /// - Throws: ``LendingError`` for a loan whose product is not in the products or whose
    ///   stored record cannot be read (the batch is not written), and the store's errors.
    public func run(store: any ServicingStore, progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        var rows = DailyLoanRows()
        var after = StorePosition.start
        var lastProgress = started
        let workers = (0..<threads).map { _ in DailyWorker() }
        while true {
            let done = try store.withServicingTransaction { transaction -> Bool in
                rows.removeAll()
                try transaction.activeLoans(after: after, notProcessedThrough: asOf, limit: batchSize, into: &rows)
                guard let last = rows.positions.last else { return true }
                after = last
                let updates = try compute(rows, workers: workers)
                var chain = JournalChain(after: try transaction.journalHead())
                var sealed: [SealedEntry] = []
                sealed.reserveCapacity(workers.reduce(0) { $0 + $1.entries.count })
                for worker in workers {
                    for entry in worker.entries { sealed.append(try chain.seal(entry)) }
                    summary.closed += worker.closed
                    summary.installmentsDue += worker.installmentsDue
                }
                try transaction.saveEndOfDay(updates, entries: sealed)
                summary.loans += rows.count
                summary.entries += sealed.count
                return false
            }
            if done { break }
            if let progress {
                let now = monotonicSeconds()
                if now - lastProgress > 0.25 {
                    lastProgress = now
                    progress(Progress(loans: summary.loans, seconds: now - started))
                }
            }
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Runs end of day for a batch on every core; each worker takes a contiguous share, so the
    /// workers' entries, one after the other, are in row order.
    func compute(_ rows: DailyLoanRows, workers: [DailyWorker]) throws -> DailyLoanUpdates {
        var terms: [String: ProductTerms] = [:]
        for product in Set(rows.products) { terms[product] = try products.terms(for: product) }
        let count = rows.count
        let share = (count + workers.count - 1) / workers.count
        let asOf = self.asOf
        let frozenTerms = terms
        DispatchQueue.concurrentPerform(iterations: workers.count) { index in
            let range = min(index * share, count)..<min((index + 1) * share, count)
            workers[index].run(rows, range: range, asOf: asOf, terms: frozenTerms)
        }
        var updates = DailyLoanUpdates()
        updates.positions = rows.positions
        updates.daily.reserveCapacity(count)
        updates.records.reserveCapacity(count)
        updates.statuses.reserveCapacity(count)
        for worker in workers {
            if let error = worker.error { throw error }
            updates.daily += worker.daily
            updates.records += worker.records
            updates.statuses += worker.statuses
            for (line, amount) in worker.lineRestores { updates.lineRestores[line, default: .zero] += amount }
        }
        return updates
    }
}

/// One thread's share of a batch: its buffers are kept from batch to batch.
final class DailyWorker: @unchecked Sendable { // one thread at a time: its own share during a batch, then the caller after the join
    var entries: [JournalEntry] = []
    var daily: [LoanDailyFields] = []
    var records: [[UInt8]?] = []
    var statuses: [StoredLoan.Status?] = []
    var lineRestores: [String: Money] = [:]
    var closed = 0
    var installmentsDue = 0
    var error: (any Error)?
    private var output = Servicing.Output()
    private var scratch: [UInt8] = []

    func run(_ rows: DailyLoanRows, range: Range<Int>, asOf: CalendarDay, terms: [String: ProductTerms]) {
        entries.removeAll(keepingCapacity: true)
        daily.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        statuses.removeAll(keepingCapacity: true)
        lineRestores.removeAll(keepingCapacity: true)
        closed = 0
        installmentsDue = 0
        error = nil
        scratch.reserveCapacity(1024)
        do {
            for index in range {
                let stored = rows.records[index]
                var state = try LoanStateCoding.join(record: stored, daily: rows.daily[index])
                guard let productTerms = terms[rows.products[index]] else { preconditionFailure("terms were looked up for every product of the batch") }
                output.removeAll()
                Servicing.endOfDay(&state, asOf: asOf, terms: productTerms, into: &output)
                entries.append(contentsOf: output.entries)
                for event in output.events { if case .installmentDue = event { installmentsDue += 1 } }
                daily.append(LoanStateCoding.split(state, record: &scratch))
                records.append(scratch == stored ? nil : scratch)
                if state.status == .active {
                    statuses.append(nil)
                } else {
                    statuses.append(StoredLoan.Status(state.status))
                    closed += 1
                }
                if output.principalRepaid.fen > 0, let line = state.lineID { lineRestores[line, default: .zero] += output.principalRepaid }
            }
        } catch {
            self.error = error
        }
    }
}
