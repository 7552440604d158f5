import LendingCollections
import LendingModel
import LendingServicing
import LendingStorePorts

/// What `lending collections check` does: an audit of the book against the collections rules,
/// written apart from the code that plans and advances.
///
/// - Replays the executed action log with the outcomes through ``ContactLimitChecker``, per
///   person (every loan and draw of one borrower together, by the keyed hash of the ID number):
///   contact hours, the rolling call cap, the quiet period after a conversation, opt-outs (from
///   the time they were recorded), milestones booked twice. An outcome of a contact the log does
///   not have (made off the plan, or after it was cancelled) is checked as a contact too.
/// - Every active loan past due has exactly one ladder state, in the bucket of its days past due,
///   on a stage of that bucket's ladder, paused exactly when a promise (or a kept promise's
///   pause) holds it, as of the last post-loan run.
/// - Every written-off loan went at the strategy's write-off day (later only if end of day was
///   not run every day).
public struct CollectionsCheck: Sendable {
    public var strategy: CollectionStrategy
    public var utcOffsetSeconds: Int

    public init(strategy: CollectionStrategy, utcOffsetSeconds: Int = 8 * 3600) {
        self.strategy = strategy
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public struct Result: Sendable {
        public var lastRun: CalendarDay?
        public var actions = 0
        public var outcomes = 0
        public var overdueLoans = 0
        public var violations: [ContactViolation] = []
        public var ladderProblems: [String] = []
        public var writtenOffAtDay = 0
        public var writtenOffLater = 0
        public var writtenOffEarly = 0

        public var holds: Bool { violations.isEmpty && ladderProblems.isEmpty && writtenOffEarly == 0 }
    }

    public func run(store: any CollectionsStore) throws -> Result {
        try store.readCollections { transaction in
            var result = Result()
            result.lastRun = try transaction.lastPostLoanRun()
            let actions = try transaction.allActions()
            let outcomes = try transaction.allOutcomes()
            let optOuts = try transaction.optOutRecords(loanIDs: nil)
            result.actions = actions.count
            result.outcomes = outcomes.count
            // Per person: every loan and draw of one borrower shares the limits and opt-outs.
            let loans = Set(actions.map(\.loanId)).union(outcomes.map(\.loanId)).union(optOuts.map(\.loanId))
            let contactKeys = try transaction.contactKeys(sharingPersonWith: Array(loans))
            var borrowers: [String: BorrowerContactRules] = [:]
            for loan in loans { borrowers[loan] = BorrowerContactRules(utcOffsetSeconds: utcOffsetSeconds) }
            result.violations = ContactLimitChecker(strategy: strategy).violations(actions: actions, outcomes: outcomes, borrowers: borrowers,
                                                                                   optOuts: optOuts, contactKeys: contactKeys,
                                                                                   defaultUtcOffsetSeconds: utcOffsetSeconds)

            let ladders = try transaction.openLadders()
            let writeOffDay = strategy.milestones.writeOffDay
            try transaction.forEachActiveLoanBatch(notProcessedThrough: CalendarDay(daysSinceEpoch: Int.max / 2)) { rows in
                for index in 0..<rows.count where rows.daily[index].daysPastDue > 0 {
                    result.overdueLoans += 1
                    let state = try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index])
                    if let problem = ladderProblem(state, ladder: ladders[state.loanID]?.state, on: result.lastRun) {
                        result.ladderProblems.append(problem)
                    }
                }
            }
            for state in try transaction.writtenOffLoans() {
                if state.daysPastDue == writeOffDay {
                    result.writtenOffAtDay += 1
                } else if state.daysPastDue > writeOffDay {
                    result.writtenOffLater += 1
                } else {
                    result.writtenOffEarly += 1
                    result.ladderProblems.append("\(state.loanID): written off at \(state.daysPastDue) days past due, before the write-off day \(writeOffDay)")
                }
            }
            return result
        }
    }

    func ladderProblem(_ state: LoanState, ladder: LadderState?, on day: CalendarDay?) -> String? {
        guard let ladder else { return "\(state.loanID): \(state.daysPastDue) days past due and no ladder state" }
        guard let bucket = strategy.buckets.first(where: { $0.contains(state.daysPastDue) }), ladder.bucket == bucket.name else {
            return "\(state.loanID): \(state.daysPastDue) days past due on the ladder of bucket \(ladder.bucket)"
        }
        let stages = strategy.ladders.first { $0.bucket == bucket.name && $0.band == ladder.band }
            ?? strategy.ladders.first { $0.bucket == bucket.name && $0.band == nil }
        guard let stages, stages.stages.indices.contains(ladder.stage) else {
            return "\(state.loanID): stage \(ladder.stage + 1) is not a stage of \(bucket.name)/\(ladder.band)"
        }
        let held = ladder.promise != nil || (day.flatMap { day in ladder.pausedThrough.map { $0 >= day } } ?? false)
        if (ladder.status == .paused) != held {
            return "\(state.loanID): the ladder is \(ladder.status.rawValue) but \(held ? "a promise holds it" : "nothing holds it")"
        }
        return nil
    }
}
