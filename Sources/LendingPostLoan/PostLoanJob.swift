import Dispatch
import Foundation
import LendingCollections
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingLoanBook

/// Post-loan for one business date, the second half of `lending eod --as-of DATE` (after
/// servicing): collections ladders, write-offs, the next day's contact plan, early warning on
/// credit lines and month-end snapshots, in one transaction.
///
/// 1. Reads every active loan once (as end of day left it) and picks those collections cares
///    about: overdue, within the pre-due bucket of a due date, or with a stored ladder state.
///    Each is scored (``CollectionScorer`` on its repayment behaviour) and its ladder state
///    advanced (``CollectionEngine/advance(_:snapshot:outcomes:on:)``) with the outcomes recorded
///    since the last run (promises, conversations).
/// 2. A loan that reaches the strategy's write-off day is written off through
///    ``Servicing/writeOff(_:on:terms:)`` and the ledger (entry `writeoff:LOAN`), so `ledger
///    verify` still holds; a written-off draw freezes its line.
/// 3. Plans the contact hours of the next day (local midnight after `asOf`, 24 hours) with
///    ``CollectionEngine/plan(_:history:businessDate:asOf:)`` against the call history of the
///    action log, and stores the actions (the action log; unique by loan, action and time).
/// 4. Early warning on credit lines (``EarlyWarning``): when a line's level rises, its action
///    (freeze, or reduce the limit), logged with its reasons; every change of level is logged.
/// 5. On the last day of a month, a snapshot of every loan for the portfolio report.
///
/// A day runs once: the run is recorded with the rest, so running the date again changes
/// nothing, and a crash leaves nothing of the day's post-loan work.
public struct PostLoanJob: Sendable {
    public var asOf: CalendarDay
    public var products: ProductCatalog
    public var engine: CollectionEngine
    public var scorer: CollectionScorer
    /// The borrowers' UTC offset (contact hours are local time).
    public var utcOffsetSeconds: Int
    /// Return the collection features of every overdue loan in the summary (to train the
    /// collection model on generated history).
    public var collectFeatures = false

    public init(asOf: CalendarDay, products: ProductCatalog, engine: CollectionEngine, scorer: CollectionScorer,
                utcOffsetSeconds: Int = 8 * 3600) {
        self.asOf = asOf
        self.products = products
        self.engine = engine
        self.scorer = scorer
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public struct Summary: Sendable, Equatable {
        /// The date had already run: nothing was done.
        public var alreadyRun = false
        public var loansScanned = 0
        /// Loans with a ladder state after the run (written off today included).
        public var loansInCollections = 0
        /// Actions stored for the next day's contact hours.
        public var actionsPlanned = 0
        /// Actions the ladder called for that the planner did not schedule (opt-outs, limits).
        public var actionsSkipped = 0
        public var writeOffs = 0
        public var writtenOffPrincipal = Money.zero
        /// Credit lines frozen or reduced by early warning.
        public var linesFrozen = 0
        public var linesReduced = 0
        /// Month-end snapshots written.
        public var snapshots = 0
        /// With ``PostLoanJob/collectFeatures``: the collection features of each overdue loan.
        public var features: [String: CollectionFeatures] = [:]
        public var seconds = 0.0

        public init() {}
    }

    /// Runs post-loan for ``asOf``.
    /// - Throws: ``LendingError`` for a loan whose product is not in the products or whose record
    ///   cannot be read, and the store's errors (nothing of the day is stored then).
    public func run(store: any CollectionsStore) throws -> Summary {
        let started = monotonicSeconds()
        var summary = try store.withCollectionsTransaction { transaction in try run(in: transaction) }
        summary.seconds = monotonicSeconds() - started
        return summary
    }

    /// Runs post-loan inside an open transaction.
    public func run(in transaction: any CollectionsTransaction) throws -> Summary {
        var summary = Summary()
        if try transaction.postLoanRun(on: asOf) != nil {
            summary.alreadyRun = true
            return summary
        }
        let strategy = engine.strategy
        let day = asOf
        let dayStart = Instant.startOf(day, offsetSeconds: utcOffsetSeconds)
        let dayEnd = dayStart.adding(seconds: 86_400)
        let planStart = dayEnd

        // What the ladder needs besides the loans.
        var ladders = try transaction.openLadders()
        var outcomesByLoan: [String: [ContactOutcome]] = [:]
        for outcome in try transaction.unappliedOutcomes(before: dayEnd) { outcomesByLoan[outcome.loanId, default: []].append(outcome) }
        let optOuts = try transaction.optOuts()
        let history30 = dayEnd.adding(seconds: -30 * 86_400)
        let attempts = try transaction.contactCounts(from: history30, to: dayEnd)
        let conversationResults = Set(strategy.callLimits.conversationResults)
        var conversations: [String: Int] = [:]
        for outcome in try transaction.outcomes(from: history30, to: dayEnd) where conversationResults.contains(outcome.result) {
            conversations[outcome.loanId, default: 0] += 1
        }
        let lines = try transaction.allLines()
        var lineByID: [String: CreditLine] = [:]
        for line in lines { lineByID[line.line.lineID] = line.line }
        let minimumDay = strategy.buckets.first?.fromDay ?? 0
        func inCollections(_ snapshot: CollectionSnapshot) -> Bool {
            guard let collectionDay = snapshot.collectionDay(on: day), collectionDay >= minimumDay else { return false }
            return strategy.buckets.contains { $0.contains(collectionDay) }
        }

        // 1. The scan: every active loan as of `day`.
        let month = YearMonth(day)
        let monthEnd = day == month.lastDay
        let takeSnapshots = monthEnd ? !(try transaction.hasSnapshots(month: month)) : false
        var monthly: [MonthlyLoanSnapshot] = []
        var drawsByLine: [String: [LoanState]] = [:]
        var removed: [String] = []
        var cases: [CollectionCase] = []
        var savedLadders: [StoredLadder] = []
        var events: [PostLoanEvent] = []
        var writeOffs: [(state: LoanState, product: String)] = []
        var seen = Set<String>()
        try transaction.forEachActiveLoanBatch(notProcessedThrough: day.adding(days: 1)) { rows in
            for index in 0..<rows.count {
                let state = try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index])
                let loanID = state.loanID
                if let lineID = state.lineID { drawsByLine[lineID, default: []].append(state) }
                let stored = ladders[loanID]
                let borrowerOptOuts = optOuts[loanID] ?? .none
                var snapshot = LoanFigures.snapshot(state, optOuts: borrowerOptOuts, utcOffsetSeconds: utcOffsetSeconds, score: 0)
                guard stored != nil || inCollections(snapshot) else {
                    if takeSnapshots { monthly.append(LoanFigures.monthly(state, month: month)) }
                    continue
                }
                seen.insert(loanID)
                let behaviour = LoanFigures.behaviour(state, on: day, ladder: stored, attempts: attempts[loanID] ?? 0,
                                                      conversations: conversations[loanID] ?? 0, line: state.lineID.flatMap { lineByID[$0] })
                snapshot.score = scorer.score(behaviour)
                if collectFeatures, state.daysPastDue > 0 { summary.features[loanID] = CollectionFeatures(behaviour) }
                let transition = engine.advance(stored?.state, snapshot: snapshot, outcomes: outcomesByLoan[loanID] ?? [], on: day)
                for event in transition.events { events.append(Self.logLine(event, loanID: loanID, day: day)) }
                if let next = transition.state {
                    let ladder = StoredLadder(state: next, maxDaysPastDue: max(stored?.maxDaysPastDue ?? 0, state.daysPastDue))
                    if ladder != stored {                     // most days most ladders stand still
                        savedLadders.append(ladder)
                        ladders[loanID] = ladder
                    }
                    cases.append(CollectionCase(snapshot: snapshot, state: next))
                    if next.status == .writtenOff, next.writtenOffOn == day {
                        writeOffs.append((state, rows.products[index]))
                        continue
                    }
                } else {
                    ladders[loanID] = nil
                    if stored != nil { removed.append(loanID) }
                }
                if takeSnapshots { monthly.append(LoanFigures.monthly(state, month: month)) }
            }
            summary.loansScanned += rows.count
        }
        // Ladders of loans that are no longer active (paid off, or written off by other means).
        for loanID in ladders.keys.sorted() where !seen.contains(loanID) {
            removed.append(loanID)
            ladders[loanID] = nil
            events.append(PostLoanEvent(day: day, subject: loanID, kind: "closed", detail: "the loan is no longer active: it left collections"))
        }
        try transaction.deleteLadders(loanIDs: removed)

        // 2. Write-offs, through servicing and the ledger.
        for item in writeOffs {
            let terms = try self.products.terms(for: item.product)
            let result = try Servicing.writeOff(item.state, on: day, terms: terms)
            try transaction.post(result.entries)
            try transaction.save(states: [result.state])
            let written = result.state.writtenOff ?? LoanBalances(principal: .zero, interest: .zero, penalty: .zero, overpayment: .zero)
            summary.writeOffs += 1
            summary.writtenOffPrincipal += written.principal
            events.append(PostLoanEvent(day: day, subject: item.state.loanID, kind: "write_off_posted",
                                        detail: "principal \(written.principal), interest \(written.interest), penalty \(written.penalty) at \(item.state.daysPastDue) days past due"))
            if takeSnapshots { monthly.append(LoanFigures.monthly(result.state, month: month)) }
            if let lineID = item.state.lineID, var line = lineByID[lineID], !line.frozen {
                line.freeze()
                try transaction.save(line: line)
                lineByID[lineID] = line
                events.append(PostLoanEvent(day: day, subject: lineID, kind: "line_frozen", detail: "draw \(item.state.loanID) was written off"))
            }
        }
        try transaction.save(ladders: savedLadders)
        summary.loansInCollections = ladders.count

        // 3. The next day's plan. The contact limits and opt-outs are per person: every loan and
        // draw of one person (one keyed hash of the ID number) shares them.
        let limits = strategy.callLimits
        let callsFrom = planStart.adding(seconds: -Int64(limits.windowDays) * 86_400)
        let conversationsFrom = planStart.adding(seconds: -Int64(limits.quietDaysAfterConversation + 1) * 86_400)
        let contactKeys = try transaction.contactKeys(sharingPersonWith: cases.map(\.snapshot.loanId))
        if !optOuts.isEmpty {
            var byPerson: [String: OptOuts] = [:]
            for (loanID, loanOptOuts) in optOuts {
                let key = contactKeys[loanID] ?? loanID
                var merged = byPerson[key] ?? OptOuts()
                merged.all = merged.all || loanOptOuts.all
                merged.channels.formUnion(loanOptOuts.channels)
                byPerson[key] = merged
            }
            for index in cases.indices {
                cases[index].snapshot.optOuts = byPerson[contactKeys[cases[index].snapshot.loanId] ?? cases[index].snapshot.loanId] ?? .none
            }
        }
        let history = ContactHistory(strategy: strategy,
                                     actions: try transaction.actions(scheduledFrom: callsFrom, to: planStart) + (try transaction.milestoneActions()),
                                     outcomes: try transaction.outcomes(from: conversationsFrom, to: planStart), contactKeys: contactKeys)
        let plan = engine.plan(cases, history: history, businessDate: day, asOf: planStart)
        summary.actionsPlanned = try transaction.insert(actions: plan.actions, plannedOn: day)
        summary.actionsSkipped = plan.skipped.count
        for skipped in plan.skipped {
            events.append(PostLoanEvent(day: day, subject: skipped.loanId, kind: "action_skipped", detail: "\(skipped.action): \(skipped.reason)"))
        }
        try transaction.markOutcomesApplied(before: dayEnd, on: day)

        // 4. Early warning on credit lines with draws on the book.
        let warned = try earlyWarning(lines: lines.map(\.line).map { lineByID[$0.lineID] ?? $0 }, applications: lines, draws: drawsByLine,
                                      day: day, dayEnd: dayEnd, in: transaction, events: &events)
        summary.linesFrozen = warned.frozen
        summary.linesReduced = warned.reduced

        // 5. Month-end snapshots (written-off loans too, so vintages keep them bad).
        if takeSnapshots {
            let today = Set(writeOffs.map(\.state.loanID))
            for state in try transaction.writtenOffLoans() where !today.contains(state.loanID) {
                monthly.append(LoanFigures.monthly(state, month: month))
            }
            try transaction.insert(snapshots: monthly)
            summary.snapshots = monthly.count
        }

        try transaction.insert(events: events)
        try transaction.insert(run: PostLoanRunRecord(day: day, loansInCollections: summary.loansInCollections, actionsPlanned: summary.actionsPlanned,
                                                      writeOffs: summary.writeOffs, writtenOffPrincipal: summary.writtenOffPrincipal,
                                                      lineActions: summary.linesFrozen + summary.linesReduced, snapshots: summary.snapshots))
        return summary
    }

    /// Assesses every line with draws on the book and applies the action: freeze, or reduce the
    /// limit; logs every assessment whose level changed or whose action changed the line.
    private func earlyWarning(lines: [CreditLine], applications: [StoredLine], draws: [String: [LoanState]], day: CalendarDay, dayEnd: Instant,
                              in transaction: any CollectionsTransaction, events: inout [PostLoanEvent]) throws -> (frozen: Int, reduced: Int) {
        let active = lines.filter { draws[$0.lineID] != nil }
        guard !active.isEmpty else { return (0, 0) }
        let warning = try EarlyWarning(rules: engine.strategy.earlyWarning)
        var applicationOf: [String: String] = [:]
        for line in applications { applicationOf[line.line.lineID] = line.applicationID }
        let persons = try transaction.personKeys(applicationIDs: active.compactMap { applicationOf[$0.lineID] })
        var recent: [String: Int] = [:]
        for (_, person) in try transaction.applicationPersons(from: dayEnd.adding(seconds: -30 * 86_400), to: dayEnd) { recent[person, default: 0] += 1 }
        let levels = try transaction.lineLevels()
        let monthAgo = try transaction.lineUsages(onOrBefore: day.adding(days: -30))
        let latest = try transaction.lineUsages(onOrBefore: day)
        var warnings: [StoredWarning] = []
        var frozen = 0, reduced = 0
        for var line in active {
            let loans = draws[line.lineID] ?? []
            var signals = BehaviourSignals(lineId: line.lineID)
            for state in loans {
                if LoanFigures.missedFirstPayment(state) { signals.missedFirstPayment = true }
                let last = LoanFigures.dueAndPaid(state, back: 0..<3), prior = LoanFigures.dueAndPaid(state, back: 3..<6)
                signals.dueLast3 += last.due
                signals.paidLast3 += last.paid
                signals.duePrior3 += prior.due
                signals.paidPrior3 += prior.paid
                signals.partialPaymentsLast3 += last.partial
            }
            if let application = applicationOf[line.lineID], let person = persons[application] {
                // The line's own application is not new (it is counted when it falls in the window).
                signals.newApplicationsLast30Days = max(0, (recent[person] ?? 0) - 1)
            }
            signals.drawnNow = line.drawnPrincipal
            signals.limitNow = line.limit
            if let before = monthAgo[line.lineID] {
                signals.drawn30DaysAgo = before.drawn
                signals.limit30DaysAgo = before.limit
            }
            let assessment = warning.assess(signals)
            var applied = LineActionKind.none
            var newLimit: Money?
            let previous = levels[line.lineID] ?? .none
            // A line is acted on when its level rises, not again every day it stays there.
            switch assessment.level > previous ? assessment.action : .none {
            case .none: break
            case .freeze:
                if !line.frozen {
                    line.freeze()
                    applied = .freeze
                    frozen += 1
                }
            case .reduceLimit(let limit, _):
                if limit < line.limit {
                    try line.reduceLimit(to: limit)
                    applied = .reduceLimit
                    newLimit = limit
                    reduced += 1
                }
            }
            if applied != .none { try transaction.save(line: line) }
            if let last = latest[line.lineID], last.drawn == line.drawnPrincipal, last.limit == line.limit {
                // Unchanged: nothing to record.
            } else {
                try transaction.recordLineUsage(lineID: line.lineID, drawn: line.drawnPrincipal, limit: line.limit, on: day)
            }
            guard applied != .none || previous != assessment.level else { continue }
            let reasons = assessment.reasons.map { "\($0.code.code)=\(Self.decimal($0.value))" }.joined(separator: ";")
            warnings.append(StoredWarning(day: day, lineID: line.lineID, level: assessment.level, action: applied, newLimit: newLimit, reasons: reasons))
            try transaction.saveLineLevel(lineID: line.lineID, level: assessment.level, on: day)
            let what = switch applied {
            case .none: "level \(previous) -> \(assessment.level)"
            case .freeze: "frozen at level \(assessment.level)"
            case .reduceLimit: "limit reduced to \(newLimit ?? .zero) at level \(assessment.level)"
            }
            events.append(PostLoanEvent(day: day, subject: line.lineID, kind: applied == .none ? "warning_level" : "line_\(applied.rawValue)",
                                        detail: "\(what): \(reasons.isEmpty ? "no signal" : reasons)"))
        }
        try transaction.insert(warnings: warnings)
        return (frozen, reduced)
    }

    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e12 ? String(Int64(value)) : String(format: "%.3f", value)
    }

    /// A ladder event as a log line.
    static func logLine(_ event: LadderEvent, loanID: String, day: CalendarDay) -> PostLoanEvent {
        let (kind, detail): (String, String) = switch event {
        case .entered(let bucket): ("entered", "bucket \(bucket)")
        case .bucketChanged(let from, let to): ("bucket_changed", "\(from) -> \(to)")
        case .stageChanged(let from, let to): ("stage_changed", "stage \(from + 1) -> \(to + 1)")
        case .promiseMade(let due, let amount): ("promise_made", "\(amount) by \(due)")
        case .promiseReplaced: ("promise_replaced", "a newer promise replaced the open one")
        case .promiseKept: ("promise_kept", "")
        case .promiseBroken: ("promise_broken", "the ladder escalates one stage")
        case .resumed: ("resumed", "")
        case .cured: ("cured", "no longer overdue")
        case .left: ("left", "not overdue and not near a due date")
        case .bureauReportDue: ("bureau_report", "")
        case .insuranceClaimDue: ("insurance_claim", "")
        case .writtenOff: ("written_off", "")
        }
        return PostLoanEvent(day: day, subject: loanID, kind: kind, detail: detail)
    }
}
