import LendingCollections
import LendingModel
import Testing

/// The ladder state machine under the standard strategy (medium band unless said: score 600).
@Suite struct LadderTests {
    let engine = standardEngine
    let due = day("2026-11-21")

    /// The loan of these tests on day `due + k`: pre-due before, `k` days past due after.
    func snapshot(_ k: Int, paid: Money = .zero, score: Double = 600, insured: Bool = false) -> CollectionSnapshot {
        loan("L1", dpd: max(k, 0), nextDue: k <= 0 ? due : nil, paid: paid, insured: insured, score: score)
    }

    func promise(on k: Int, dueIn days: Int?, amount: Money? = yuan("500.00")) -> ContactOutcome {
        ContactOutcome(loanId: "L1", action: .agentCall, happenedAt: instant("\(due.adding(days: k))T10:00:00+08:00"),
                       result: .promiseToPay, promiseDate: days.map { due.adding(days: k + $0) }, promiseAmount: amount)
    }

    @Test func aLoanFarFromItsDueDateIsNotInCollections() {
        let result = engine.advance(nil, snapshot: snapshot(-4), outcomes: [], on: due.adding(days: -4))
        #expect(result.state == nil)
        #expect(result.events.isEmpty)
    }

    @Test func aCurrentLoanWithAPastDueDateIsNotTakenForOverdue() {
        let stale = loan("L1", dpd: 0, nextDue: due.adding(days: -2))
        #expect(stale.collectionDay(on: due) == nil)
        #expect(engine.advance(nil, snapshot: stale, outcomes: [], on: due).state == nil)
        #expect(loan("L1", dpd: 0, nextDue: due).collectionDay(on: due) == 0)
        #expect(loan("L1", dpd: 5, nextDue: due.adding(days: 25)).collectionDay(on: due) == 5)
    }

    @Test func aLoanThreeDaysBeforeItsDueDateEntersPreDue() throws {
        let result = engine.advance(nil, snapshot: snapshot(-3), outcomes: [], on: due.adding(days: -3))
        let state = try #require(result.state)
        #expect(result.events == [.entered(bucket: "pre-due")])
        #expect(state.bucket == "pre-due")
        #expect(state.band == "medium")
        #expect(state.stage == 0)
        #expect(state.status == .active)
        #expect(state.stageEnteredOn == due.adding(days: -3))
    }

    @Test func aMissedDueDateMovesThePreDueStateToTheFirstOverdueBucket() throws {
        let before = engine.advance(nil, snapshot: snapshot(0), outcomes: [], on: due).state
        #expect(before?.stage == 1) // the due-date reminder
        let result = engine.advance(before, snapshot: snapshot(1), outcomes: [], on: due.adding(days: 1))
        let state = try #require(result.state)
        #expect(result.events == [.bucketChanged(from: "pre-due", to: "1-3"), .stageChanged(from: 1, to: 0)])
        #expect(state.bucket == "1-3")
        #expect(state.stage == 0)
        #expect(state.enteredOn == due)
        #expect(state.stageEnteredOn == due.adding(days: 1))
    }

    @Test func stagesFollowTheScheduleByDaysPastDue() {
        let states = walk(from: due, days: 17) { self.snapshot($0) }
        // 1-3: sms (day 1), voice bot (2..3); 4-15 medium: voice bot (4..7), agent call (8..15); 16-30: agent call.
        #expect(states.map { $0?.bucket ?? "-" } == ["pre-due", "1-3", "1-3", "1-3"] + Array(repeating: "4-15", count: 12) + ["16-30"])
        #expect(states.map { $0?.stage ?? -1 } == [1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0])
        #expect(states[8]?.stageEnteredOn == due.adding(days: 8))
        #expect(states[15]?.stageEnteredOn == due.adding(days: 8))
    }

    @Test func theRiskBandChoosesTheLadder() {
        let high = engine.advance(nil, snapshot: snapshot(4, score: 500), outcomes: [], on: due.adding(days: 4)).state
        #expect(high?.band == "high")
        #expect(engine.stages(bucket: "4-15", band: "high")?[high!.stage].action == .agentCall)
        let low = engine.advance(nil, snapshot: snapshot(4, score: 700), outcomes: [], on: due.adding(days: 4)).state
        #expect(low?.band == "low")
        #expect(engine.stages(bucket: "4-15", band: "low")?[low!.stage].action == .voiceBot)
    }

    @Test func aPromisePausesEscalationThroughItsDatePlusGrace() throws {
        let start = engine.advance(nil, snapshot: snapshot(5), outcomes: [], on: due.adding(days: 5)).state
        let made = engine.advance(start, snapshot: snapshot(6), outcomes: [promise(on: 6, dueIn: 3)], on: due.adding(days: 6))
        let state = try #require(made.state)
        #expect(made.events == [.promiseMade(dueOn: due.adding(days: 9), amount: yuan("500.00"))])
        #expect(state.status == .paused)
        #expect(state.pausedThrough == due.adding(days: 10))
        // On days 8, 9 and 10 the schedule says agent call (stage 2) but the stage is held.
        var current: LadderState? = state
        for k in 7...10 {
            current = engine.advance(current, snapshot: snapshot(k), outcomes: [], on: due.adding(days: k)).state
            #expect(current?.status == .paused)
            #expect(current?.stage == 0)
        }
    }

    @Test func aBrokenPromiseEscalatesOneStageAtOnce() throws {
        var state = engine.advance(nil, snapshot: snapshot(4), outcomes: [], on: due.adding(days: 4)).state
        state = engine.advance(state, snapshot: snapshot(5), outcomes: [promise(on: 5, dueIn: 0)], on: due.adding(days: 5)).state
        state = engine.advance(state, snapshot: snapshot(6), outcomes: [], on: due.adding(days: 6)).state
        #expect(state?.status == .paused) // promise date 5, grace 1: still paused on day 6
        let broken = engine.advance(state, snapshot: snapshot(7), outcomes: [], on: due.adding(days: 7))
        let after = try #require(broken.state)
        #expect(broken.events == [.promiseBroken, .stageChanged(from: 0, to: 1)])
        #expect(after.status == .active)
        #expect(after.stage == 1) // the schedule says 0 (voice bot) on day 7; one stage more
        #expect(after.escalation == 1)
        #expect(after.brokenPromises == 1)
        #expect(after.stageEnteredOn == due.adding(days: 7))
    }

    @Test func aBrokenPromiseAtTheLastStageRestartsItsAction() throws {
        var state = engine.advance(nil, snapshot: snapshot(9), outcomes: [], on: due.adding(days: 9)).state
        state = engine.advance(state, snapshot: snapshot(10), outcomes: [promise(on: 10, dueIn: 1)], on: due.adding(days: 10)).state
        state = engine.advance(state, snapshot: snapshot(11), outcomes: [], on: due.adding(days: 11)).state
        state = engine.advance(state, snapshot: snapshot(12), outcomes: [], on: due.adding(days: 12)).state
        let broken = engine.advance(state, snapshot: snapshot(13), outcomes: [], on: due.adding(days: 13))
        #expect(broken.events == [.promiseBroken])
        #expect(broken.state?.stage == 1)
        #expect(broken.state?.stageEnteredOn == due.adding(days: 13))
    }

    @Test func aKeptPromiseForgivesEscalationAndPausesThreeMoreDays() throws {
        var state = engine.advance(nil, snapshot: snapshot(4), outcomes: [], on: due.adding(days: 4)).state
        state?.escalation = 1 // as if an earlier promise had been broken
        state = engine.advance(state, snapshot: snapshot(5, paid: yuan("100.00")),
                               outcomes: [promise(on: 5, dueIn: 4)], on: due.adding(days: 5)).state
        #expect(state?.promise?.paidBefore == .zero)
        // 300 of 500 paid: not yet kept.
        state = engine.advance(state, snapshot: snapshot(6, paid: yuan("300.00")), outcomes: [], on: due.adding(days: 6)).state
        #expect(state?.promise != nil)
        let kept = engine.advance(state, snapshot: snapshot(7, paid: yuan("500.00")), outcomes: [], on: due.adding(days: 7))
        let after = try #require(kept.state)
        #expect(kept.events == [.promiseKept])
        #expect(after.keptPromises == 1)
        #expect(after.escalation == 0)
        #expect(after.status == .paused)
        #expect(after.pausedThrough == due.adding(days: 10))
        var current: LadderState? = after
        for k in 8...10 {
            current = engine.advance(current, snapshot: snapshot(k, paid: yuan("500.00")), outcomes: [], on: due.adding(days: k)).state
            #expect(current?.status == .paused)
        }
        let resumed = engine.advance(current, snapshot: snapshot(11, paid: yuan("500.00")), outcomes: [], on: due.adding(days: 11))
        #expect(resumed.events == [.resumed, .stageChanged(from: 0, to: 1)])
        #expect(resumed.state?.status == .active)
        #expect(resumed.state?.stage == 1)
        #expect(resumed.state?.stageEnteredOn == due.adding(days: 11))
    }

    @Test func aPromiseWithoutAmountIsForTheOverdueAmountAndAFarDateIsCut() {
        let start = engine.advance(nil, snapshot: snapshot(5), outcomes: [], on: due.adding(days: 5)).state
        let made = engine.advance(start, snapshot: snapshot(6), outcomes: [promise(on: 6, dueIn: 40, amount: nil)], on: due.adding(days: 6))
        #expect(made.state?.promise?.amount == yuan("500.00"))
        #expect(made.state?.promise?.dueOn == due.adding(days: 6 + 14))
    }

    @Test func aBucketEnteredWhilePausedStartsAtItsFirstStageAndStaysPaused() {
        var state = engine.advance(nil, snapshot: snapshot(14), outcomes: [], on: due.adding(days: 14)).state
        #expect(state?.stage == 1)
        state = engine.advance(state, snapshot: snapshot(15), outcomes: [promise(on: 15, dueIn: 5)], on: due.adding(days: 15)).state
        let next = engine.advance(state, snapshot: snapshot(16), outcomes: [], on: due.adding(days: 16))
        #expect(next.events == [.bucketChanged(from: "4-15", to: "16-30"), .stageChanged(from: 1, to: 0)])
        #expect(next.state?.status == .paused)
        #expect(next.state?.bucket == "16-30")
        #expect(next.state?.stage == 0)
    }

    @Test func aNewBucketResetsEscalation() {
        var state = engine.advance(nil, snapshot: snapshot(15), outcomes: [], on: due.adding(days: 15)).state
        state?.escalation = 2
        state = engine.advance(state, snapshot: snapshot(16), outcomes: [], on: due.adding(days: 16)).state
        #expect(state?.escalation == 0)
        #expect(state?.stage == 0)
    }

    @Test func aCuredLoanLeavesCollections() {
        let state = engine.advance(nil, snapshot: snapshot(10), outcomes: [], on: due.adding(days: 10)).state
        let cured = engine.advance(state, snapshot: loan("L1", dpd: 0, nextDue: due.adding(days: 40)), outcomes: [], on: due.adding(days: 11))
        #expect(cured.state == nil)
        #expect(cured.events == [.cured])
    }

    @Test func aCuredLoanCloseToItsNextDueDateStartsAFreshPreDueStay() {
        let state = engine.advance(nil, snapshot: snapshot(28), outcomes: [], on: due.adding(days: 28)).state
        let today = due.adding(days: 29)
        let cured = engine.advance(state, snapshot: loan("L1", dpd: 0, nextDue: today.adding(days: 1)), outcomes: [], on: today)
        #expect(cured.events == [.cured, .entered(bucket: "pre-due")])
        #expect(cured.state?.bucket == "pre-due")
        #expect(cured.state?.stage == 0)
        #expect(cured.state?.enteredOn == today)
    }

    @Test func milestonesAreReachedOnTheirExactDays() {
        let states = walk(from: due, days: 182) { self.snapshot($0, insured: true) }
        #expect(states[29]?.bureauReportedOn == nil)
        #expect(states[30]?.bureauReportedOn == due.adding(days: 30))
        #expect(states[120]?.bureauReportedOn == due.adding(days: 30))
        #expect(states[89]?.insuranceClaimedOn == nil)
        #expect(states[90]?.insuranceClaimedOn == due.adding(days: 90))
        #expect(states[179]?.status == .active)
        #expect(states[180]?.status == .writtenOff)
        #expect(states[180]?.writtenOffOn == due.adding(days: 180))
        #expect(states[181]?.writtenOffOn == due.adding(days: 180))
    }

    @Test func uninsuredLoansMakeNoInsuranceClaim() {
        let states = walk(from: due, days: 100) { self.snapshot($0) }
        #expect(states[99]?.insuranceClaimedOn == nil)
    }

    @Test func aWrittenOffStateNeverChanges() {
        let states = walk(from: due, days: 181) { self.snapshot($0) }
        let written = states[180]
        let later = engine.advance(written, snapshot: loan("L1", dpd: 0, nextDue: due.adding(days: 200)), outcomes: [], on: due.adding(days: 190))
        #expect(later.state == written)
        #expect(later.events.isEmpty)
    }

    @Test func aLoanFirstSeenPastAMilestoneReachesItAtOnce() {
        let result = engine.advance(nil, snapshot: snapshot(45), outcomes: [], on: due.adding(days: 45))
        #expect(result.events == [.entered(bucket: "31-60"), .bureauReportDue])
        #expect(result.state?.bureauReportedOn == due.adding(days: 45))
    }
}
