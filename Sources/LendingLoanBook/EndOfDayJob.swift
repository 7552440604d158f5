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
/// Shares: `partition` limits the run to one share of the book (`--partition I/N`, one process
/// per machine), and `workers` splits that share again between threads of this process, each
/// with its own transactions. With more than one worker, a batch is read and computed outside
/// the write transaction (in a read snapshot, so workers compute while another writes), then read
/// again inside it: written as computed when nothing changed meanwhile, computed again from what
/// is stored when something did (a repayment, another run of the same date). Either way each loan
/// is run once per date, however many processes run the date at once.
///
/// Servicing only: `lending eod` runs post-loan after it for the same date (``CloseOfDayJob`` in
/// LendingPostLoan).
public struct EndOfDayJob: Sendable {
    public var asOf: CalendarDay
    public var products: ProductCatalog
    /// Loans per transaction.
    public var batchSize: Int
    /// Threads computing a batch (the chain is sealed on one); with several workers, each has its share of them.
    public var threads: Int
    /// The share of the book this run takes (`.all`: every loan).
    public var partition: LoanPartition
    /// Threads of this process, each running its own share of `partition` in its own transactions.
    public var workers: Int

    public init(asOf: CalendarDay, products: ProductCatalog, batchSize: Int = 10_000,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, partition: LoanPartition = .all, workers: Int = 1) {
        self.asOf = asOf
        self.products = products
        self.batchSize = max(1, batchSize)
        self.threads = max(1, threads)
        self.partition = partition
        self.workers = max(1, workers)
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
        /// Batches a worker computed, found changed when it came to write them, and computed again.
        public var recomputedBatches = 0
        public var seconds = 0.0

        mutating func add(_ other: Summary) {
            recomputedBatches += other.recomputedBatches
            loans += other.loans
            entries += other.entries
            closed += other.closed
            installmentsDue += other.installmentsDue
        }
    }

    public struct Progress: Sendable {
        public var loans: Int
        public var seconds: Double
    }

    /// Runs the job.
    /// - Throws: ``LendingError`` for a loan whose product is not in the products or whose
    ///   stored record cannot be read (the batch is not written), and the store's errors (with
    ///   several workers, the first worker's error, after every worker stopped).
    public func run(store: any ServicingStore, progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        if workers == 1 {
            summary = try runShare(partition, store: store, threads: threads, computeOutside: false, progress: progress, started: started)
        } else {
            let results = WorkerResults(count: workers)
            let threadsEach = max(1, threads / workers)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var shared: (@Sendable (Progress) -> Void)?
                if let progress {
                    shared = { @Sendable mine in progress(Progress(loans: results.loans(adding: mine.loans, worker: worker), seconds: mine.seconds)) }
                }
                results.set(worker, Result {
                    try runShare(partition.split(worker, of: workers), store: store, threads: threadsEach, computeOutside: true,
                                 progress: shared, started: started)
                })
            }
            for result in results.all {
                summary.add(try result.get())
            }
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// One worker's run over its share.
    private func runShare(_ share: LoanPartition, store: any ServicingStore, threads: Int, computeOutside: Bool,
                          progress: (@Sendable (Progress) -> Void)?, started: Double) throws -> Summary {
        var summary = Summary()
        var rows = DailyLoanRows()
        var fresh = DailyLoanRows()
        var after = StorePosition.start
        var lastProgress = started
        let workers = (0..<threads).map { _ in DailyWorker() }
        while true {
            var computed: DailyLoanUpdates?
            if computeOutside {
                rows.removeAll()
                try store.readServicing { try $0.activeLoans(after: after, notProcessedThrough: asOf, limit: batchSize, partition: share, into: &rows) }
                guard let last = rows.positions.last else { break }
                after = last
                computed = try compute(rows, workers: workers)
            }
            let done = try store.withServicingTransaction { transaction -> Bool in
                let updates: DailyLoanUpdates
                if let computed {
                    // Read again under the write lock: write what was computed only if nothing changed since.
                    fresh.removeAll()
                    try transaction.activeLoans(at: rows.positions, notProcessedThrough: asOf, into: &fresh)
                    if fresh.count == 0 { return false }
                    if fresh == rows {
                        updates = computed
                    } else {
                        updates = try compute(fresh, workers: workers)
                        summary.recomputedBatches += 1
                    }
                } else {
                    rows.removeAll()
                    try transaction.activeLoans(after: after, notProcessedThrough: asOf, limit: batchSize, partition: share, into: &rows)
                    guard let last = rows.positions.last else { return true }
                    after = last
                    updates = try compute(rows, workers: workers)
                }
                var chain = JournalChain(after: try transaction.journalHead())
                var sealed: [SealedEntry] = []
                sealed.reserveCapacity(workers.reduce(0) { $0 + $1.entries.count })
                var batch = Summary()
                for worker in workers {
                    for entry in worker.entries { sealed.append(try chain.seal(entry)) }
                    batch.closed += worker.closed
                    batch.installmentsDue += worker.installmentsDue
                }
                try transaction.saveEndOfDay(updates, entries: sealed)
                batch.loans = updates.positions.count
                batch.entries = sealed.count
                summary.add(batch)
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

/// Each worker's result, and the loans every worker has run (for one progress line).
final class WorkerResults: @unchecked Sendable { // guarded by `lock`
    private let lock = NSLock()
    private var results: [Result<EndOfDayJob.Summary, any Error>?]
    private var progress: [Int]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        progress = Array(repeating: 0, count: count)
    }

    func set(_ worker: Int, _ result: Result<EndOfDayJob.Summary, any Error>) {
        lock.withLock { results[worker] = result }
    }

    /// Records a worker's count and returns every worker's.
    func loans(adding loans: Int, worker: Int) -> Int {
        lock.withLock {
            progress[worker] = loans
            return progress.reduce(0, +)
        }
    }

    var all: [Result<EndOfDayJob.Summary, any Error>] {
        lock.withLock { results.map { $0 ?? .failure(LendingError(code: "eod.worker", message: "an end-of-day worker did not finish")) } }
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
