import LendingCollections
import LendingModel
import Testing

/// A deterministic 90-day run of collections over a 10,000-loan book: each day servicing moves
/// the book (due dates, payments), the ladder advances, the planner plans, an executor dials
/// (re-checking the call limits just before each call), and outcomes are drawn with SplitMix64.
/// Then the whole action log is replayed through the checker.
@Suite struct SimulationTests {
    enum Kind { case good, late, defaulter }

    struct SimLoan {
        var id: String
        var kind: Kind
        var installment: Money
        var nextDue: CalendarDay
        /// Due dates not yet paid, oldest first.
        var unpaid: [CalendarDay]
        var totalPaid = Money.zero
        var promiseUntil: CalendarDay?
        var writtenOff = false
        var offset: Int
        var optOuts: OptOuts
        var insured: Bool
        var score: Double

        func daysPastDue(on day: CalendarDay) -> Int { unpaid.first.map { max($0.days(to: day), 0) } ?? 0 }
    }

    /// Everything the run produced, for the assertions.
    struct Run {
        var executed: [PlannedAction] = []
        var planned: [PlannedAction] = []
        var outcomes: [ContactOutcome] = []
        var skipped: [SkippedAction] = []
        var cancelledByExecutor = 0
        var inconsistencies: [String] = []
        var writeOffDays: [String: [Int]] = [:]
        var reached180: Set<String> = []
        var events: [String: Int] = [:]
        var borrowers: [String: BorrowerContactRules] = [:]
        var overdueLoanDays = 0
        var pausedLoanDays = 0
    }

    static let start = CalendarDay(iso: "2026-09-01")!

    static func makeBook(count: Int, random: inout SplitMix64) -> [SimLoan] {
        (0..<count).map { index in
            let roll = Double.random(in: 0..<1, using: &random)
            let kind: Kind = roll < 0.80 ? .good : roll < 0.95 ? .late : .defaulter
            let base: Double = kind == .good ? 640 : kind == .late ? 590 : 540
            let score = base + Double.random(in: -40...40, using: &random)
            let offsetRoll = Int.random(in: 0..<100, using: &random)
            let offset = offsetRoll < 90 ? 8 * 3600 : offsetRoll < 94 ? 9 * 3600 : offsetRoll < 97 ? 7 * 3600 : offsetRoll < 99 ? 0 : -5 * 3600
            let optRoll = Int.random(in: 0..<100, using: &random)
            let optOuts = optRoll < 4 ? OptOuts(channels: [.phone]) : optRoll < 6 ? OptOuts(channels: [.sms]) : optRoll < 7 ? OptOuts(all: true) : .none
            var nextDue = start.adding(days: Int.random(in: 0..<30, using: &random))
            var unpaid: [CalendarDay] = []
            // 6% of the book starts delinquent, up to 175 days past due, so write-offs happen.
            if Int.random(in: 0..<100, using: &random) < 6 {
                let first = start.adding(days: -Int.random(in: 1...175, using: &random))
                var due = first
                while due < start { unpaid.append(due); due = due.adding(days: 30) }
                nextDue = due
            }
            return SimLoan(id: "L\(index)", kind: unpaid.isEmpty ? kind : .defaulter,
                           installment: Money(fen: Int64.random(in: 200...2_000, using: &random) * 100),
                           nextDue: nextDue, unpaid: unpaid, offset: offset, optOuts: optOuts,
                           insured: Int.random(in: 0..<100, using: &random) < 30, score: score)
        }
    }

    /// The expected bucket, written out by hand for the standard buckets.
    static func expectedBucket(_ dpd: Int) -> String {
        switch dpd {
        case ...0: "pre-due"
        case 1...3: "1-3"
        case 4...15: "4-15"
        case 16...30: "16-30"
        case 31...60: "31-60"
        case 61...90: "61-90"
        default: "90+"
        }
    }

    static func expectedBand(_ score: Double) -> String { score < 560 ? "high" : score < 620 ? "medium" : "low" }

    /// The first days of each ladder's stages, read straight from the strategy file's ladders,
    /// keyed `bucket|band` (`bucket|` for the bucket's ladder of every other band).
    static func ladderTable(_ strategy: CollectionStrategy) -> [String: [Int]] {
        var table: [String: [Int]] = [:]
        for ladder in strategy.ladders { table["\(ladder.bucket)|\(ladder.band ?? "")"] = ladder.stages.map(\.fromDay) }
        return table
    }

    /// The schedule's stage: the last stage starting at or before the day.
    static func scheduled(_ table: [String: [Int]], bucket: String, band: String, day: Int) -> (stage: Int, count: Int) {
        let days = table["\(bucket)|\(band)"] ?? table["\(bucket)|"]!
        var stage = 0
        for (index, from) in days.enumerated() where from <= day { stage = index }
        return (stage, days.count)
    }

    static func simulate(loans count: Int, days: Int, seed: UInt64) throws -> Run {
        var strategy = CollectionStrategy.standard
        strategy.actions[strategy.actions.firstIndex { $0.action == .agentCall }!].dailyCapacity = 300
        let engine = try CollectionEngine(strategy: strategy)
        var random = SplitMix64(seed: seed)
        var book = makeBook(count: count, random: &random)
        var states = [LadderState?](repeating: nil, count: count)
        var pending = [[ContactOutcome]](repeating: [], count: count)
        var index: [String: Int] = [:]
        for (i, loan) in book.enumerated() { index[loan.id] = i }
        var history = ContactHistory(strategy: strategy)
        var run = Run()
        for loan in book { run.borrowers[loan.id] = BorrowerContactRules(utcOffsetSeconds: loan.offset, optOuts: loan.optOuts) }
        let grace = strategy.promises.graceDays
        let table = ladderTable(strategy)

        for d in 0..<days {
            let today = start.adding(days: d)
            // Servicing: installments fall due; borrowers pay (or not).
            for i in book.indices where !book[i].writtenOff {
                if book[i].nextDue == today {
                    book[i].unpaid.append(today)
                    book[i].nextDue = today.adding(days: 30)
                }
                guard !book[i].unpaid.isEmpty else { continue }
                let dpd = book[i].daysPastDue(on: today)
                let promised = book[i].promiseUntil.map { $0 >= today } ?? false
                let chance: Double = switch book[i].kind {
                case .good: dpd == 0 ? 0.95 : 0.5
                case .late: dpd == 0 ? 0.2 : promised ? 0.35 : 0.1
                case .defaulter: promised ? 0.05 : 0.004
                }
                if Double.random(in: 0..<1, using: &random) < chance {
                    let all = Int.random(in: 0..<100, using: &random) >= 20
                    let paid = all ? book[i].unpaid.count : 1
                    book[i].totalPaid += Money(fen: book[i].installment.fen * Int64(paid))
                    book[i].unpaid.removeFirst(paid)
                }
            }

            // Ladder.
            var cases: [CollectionCase] = []
            for i in book.indices {
                // Most loans are far from a due date: skip them before copying anything.
                let oldest = book[i].unpaid.first
                let dpd = oldest.map { max($0.days(to: today), 0) } ?? 0
                if book[i].writtenOff {
                    if let state = states[i], state.writtenOffOn == today {
                        cases.append(CollectionCase(snapshot: snapshotOf(book[i], dpd: dpd), state: state))
                    }
                    continue
                }
                if states[i] == nil && dpd == 0 && today.days(to: oldest ?? book[i].nextDue) > 3 { continue }
                let snapshot = snapshotOf(book[i], dpd: dpd)
                let transition = engine.advance(states[i], snapshot: snapshot, outcomes: pending[i], on: today)
                pending[i] = []
                states[i] = transition.state
                for event in transition.events { run.events[eventName(event), default: 0] += 1 }
                if dpd == 180 { run.reached180.insert(snapshot.loanId) }
                if let state = transition.state {
                    if state.status == .writtenOff { book[i].writtenOff = true }
                    cases.append(CollectionCase(snapshot: snapshot, state: state))
                }
                check(states[i], id: snapshot.loanId, score: snapshot.score, dpd: dpd, today: today, table: table, writeOffDay: strategy.milestones.writeOffDay, grace: grace, run: &run)
            }

            // Plan at 07:30 Beijing time: the +8 borrowers' contacts wait for 08:00.
            let asOf = Instant(iso: "\(today)T07:30:00+08:00")!
            history.forgetCalls(before: asOf)
            let plan = engine.plan(cases, history: history, businessDate: today, asOf: asOf)
            run.planned.append(contentsOf: plan.actions)
            run.skipped.append(contentsOf: plan.skipped)

            // Execute: the executor re-checks call limits just before each call.
            for action in plan.actions {
                let i = index[action.loanId]!
                if action.action == .writeOff {
                    run.writeOffDays[action.loanId, default: []].append(book[i].daysPastDue(on: today))
                }
                if history.isCall(action.action), history.callBlock(loanId: action.loanId, at: action.scheduledAt) != nil {
                    run.cancelledByExecutor += 1
                    continue
                }
                history.record(action)
                run.executed.append(action)
                guard history.isCall(action.action) || action.action == .fieldVisit else { continue }
                let answer: Double = switch book[i].kind {
                case .good: 0.6
                case .late: 0.4
                case .defaulter: 0.2
                }
                let result: ContactResult
                if Double.random(in: 0..<1, using: &random) < answer {
                    let r = Int.random(in: 0..<100, using: &random)
                    result = r < 50 ? .promiseToPay : r < 85 ? .contacted : r < 90 ? .dispute : .paid
                } else {
                    result = Int.random(in: 0..<10, using: &random) < 9 ? .noAnswer : .wrongNumber
                }
                var outcome = ContactOutcome(loanId: action.loanId, action: action.action,
                                             happenedAt: action.scheduledAt.adding(seconds: 60), result: result)
                if result == .promiseToPay {
                    let date = today.adding(days: Int.random(in: 0...5, using: &random))
                    outcome.promiseDate = date
                    let overdue = Money(fen: book[i].installment.fen * Int64(book[i].unpaid.count))
                    outcome.promiseAmount = Int.random(in: 0..<5, using: &random) == 0 ? nil : overdue
                    book[i].promiseUntil = date
                }
                history.record(outcome)
                run.outcomes.append(outcome)
                pending[i].append(outcome)
            }
        }
        return run
    }

    static func snapshotOf(_ loan: SimLoan, dpd: Int) -> CollectionSnapshot {
        CollectionSnapshot(loanId: loan.id, daysPastDue: dpd, nextDueDate: dpd > 0 ? nil : loan.unpaid.first ?? loan.nextDue,
                           overdueAmount: Money(fen: loan.installment.fen * Int64(loan.unpaid.count)),
                           outstandingBalance: Money(fen: loan.installment.fen * 6), totalPaid: loan.totalPaid, insured: loan.insured,
                           utcOffsetSeconds: loan.offset, optOuts: loan.optOuts, score: loan.score)
    }

    /// Every overdue loan has exactly one state, in the bucket of its days past due, the band of
    /// its score, on the stage the schedule, escalation and promises allow.
    static func check(_ state: LadderState?, id: String, score: Double, dpd: Int, today: CalendarDay, table: [String: [Int]],
                      writeOffDay: Int, grace: Int, run: inout Run) {
        func fail(_ what: String) { run.inconsistencies.append("\(today) \(id) dpd \(dpd): \(what)") }
        guard dpd > 0 else {
            if let state, state.status != .writtenOff, state.bucket != "pre-due" { fail("current loan in bucket \(state.bucket)") }
            return
        }
        guard let state else { return fail("overdue loan without a ladder state") }
        if state.status == .writtenOff {
            if state.writtenOffOn == today, dpd != writeOffDay { fail("written off at \(dpd)") }
            return
        }
        run.overdueLoanDays += 1
        if state.bucket != expectedBucket(dpd) { fail("bucket \(state.bucket)") }
        if state.band != expectedBand(score) { fail("band \(state.band)") }
        let (stage, count) = scheduled(table, bucket: state.bucket, band: state.band, day: dpd)
        let allowed = min(stage + state.escalation, count - 1)
        switch state.status {
        case .active:
            if state.stage != allowed { fail("active on stage \(state.stage), expected \(allowed)") }
            if state.promise != nil { fail("active with an open promise") }
        case .paused:
            run.pausedLoanDays += 1
            if state.stage > allowed || state.stage < 0 { fail("paused on stage \(state.stage) above \(allowed)") }
            guard let through = state.pausedThrough, today <= through else { return fail("paused past its end") }
            if let promise = state.promise, through != promise.dueOn.adding(days: grace) { fail("pause does not end with the promise") }
        case .writtenOff:
            break
        }
    }

    static func eventName(_ event: LadderEvent) -> String {
        switch event {
        case .entered: "entered"
        case .bucketChanged: "bucketChanged"
        case .stageChanged: "stageChanged"
        case .promiseMade: "promiseMade"
        case .promiseReplaced: "promiseReplaced"
        case .promiseKept: "promiseKept"
        case .promiseBroken: "promiseBroken"
        case .resumed: "resumed"
        case .cured: "cured"
        case .left: "left"
        case .bureauReportDue: "bureauReportDue"
        case .insuranceClaimDue: "insuranceClaimDue"
        case .writtenOff: "writtenOff"
        }
    }

    @Test func ninetyDaysOfTenThousandLoansKeepEveryRule() throws {
        let run = try Self.simulate(loans: 10_000, days: 90, seed: 20_261_121)
        let checker = ContactLimitChecker(strategy: .standard)

        // No contact limit is ever broken by what was executed.
        let violations = checker.violations(actions: run.executed, outcomes: run.outcomes, borrowers: run.borrowers)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        // Every overdue loan had exactly one stage consistent with its bucket and promises, every day.
        #expect(run.inconsistencies.isEmpty, "\(run.inconsistencies.prefix(5))")
        #expect(run.overdueLoanDays > 50_000)
        #expect(run.pausedLoanDays > 1_000)

        // Write-offs: exactly once per loan, on the day it reached 180 days past due, for every such loan.
        #expect(!run.writeOffDays.isEmpty)
        #expect(run.writeOffDays.values.allSatisfy { $0 == [180] })
        #expect(Set(run.writeOffDays.keys) == run.reached180)

        // The run exercised every rule it checks (so the test could fail).
        let reasons = run.planned.map(\.reason)
        #expect(reasons.contains { $0.contains("outside contact hours") })
        #expect(reasons.contains { $0.contains("call cap") || $0.contains("calls in 7 days reached") })
        #expect(run.skipped.contains { $0.reason.contains("calls in 7 days reached") || $0.reason.contains("quiet period") })
        #expect(reasons.contains { $0.contains("opted out") })
        #expect(reasons.contains { $0.contains("daily capacity reached") })
        #expect(run.cancelledByExecutor > 0)
        for event in ["promiseMade", "promiseKept", "promiseBroken", "resumed", "cured", "bureauReportDue", "insuranceClaimDue"] {
            #expect((run.events[event] ?? 0) > 0, "no \(event)")
        }
        let milestones = run.executed.filter { $0.action.isMilestone }
        #expect(Set(milestones.map(\.action)) == [.bureauReport, .insuranceClaim, .writeOff])

        // The checker is not blind: the plan alone, without the executor's last check, calls
        // borrowers on the day they already talked.
        let unchecked = checker.violations(actions: run.planned, outcomes: run.outcomes, borrowers: run.borrowers)
        #expect(unchecked.contains { $0.kind == .callInQuietPeriod })
    }
}
