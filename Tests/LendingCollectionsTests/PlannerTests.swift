import LendingCollections
import LendingModel
import Testing

/// The planner's contact rules: hours, call cap, quiet period, opt-outs, capacity, milestones.
@Suite struct PlannerTests {
    let today = day("2026-11-21")

    /// A case whose ladder state is the fresh state of `snapshot` on `today`.
    func fresh(_ snapshot: CollectionSnapshot, engine: CollectionEngine = standardEngine) -> CollectionCase {
        CollectionCase(snapshot: snapshot, state: engine.advance(nil, snapshot: snapshot, outcomes: [], on: today).state!)
    }

    func plan(_ cases: [CollectionCase], at time: String, history: ContactHistory? = nil,
              engine: CollectionEngine = standardEngine) -> CollectionPlan {
        engine.plan(cases, history: history ?? ContactHistory(strategy: engine.strategy), businessDate: today, asOf: instant(time))
    }

    /// A history with calls (agent calls) at the given times for loan L1.
    func history(calls: [String], conversation: String? = nil, strategy: CollectionStrategy = .standard) -> ContactHistory {
        var history = ContactHistory(strategy: strategy)
        for time in calls {
            history.record(PlannedAction(loanId: "L1", action: .agentCall, channel: .phone, scheduledAt: instant(time),
                                         utcOffsetSeconds: china, bucket: "4-15", reason: ""))
        }
        if let conversation {
            history.record(ContactOutcome(loanId: "L1", action: .agentCall, happenedAt: instant(conversation), result: .contacted))
        }
        return history
    }

    // MARK: contact hours

    @Test func aContactBeforeEightMovesToEightLocalAndSaysWhy() throws {
        let result = plan([fresh(loan("L1", dpd: 1))], at: "2026-11-21T07:59:59+08:00")
        let action = try #require(result.actions.first)
        #expect(result.actions.count == 1)
        #expect(action.action == .sms)
        #expect(action.scheduledAtText == "2026-11-21T08:00:00+08:00")
        #expect(action.reason == "1-3/medium stage 1: sms once; moved to 08:00 local: outside contact hours 08:00-21:00")
    }

    @Test func aContactAtEightExactlyStays() {
        let result = plan([fresh(loan("L1", dpd: 1))], at: "2026-11-21T08:00:00+08:00")
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T08:00:00+08:00"])
        #expect(result.actions.first?.reason == "1-3/medium stage 1: sms once")
    }

    @Test func aContactOneSecondBeforeNineInTheEveningStays() {
        let result = plan([fresh(loan("L1", dpd: 1))], at: "2026-11-21T20:59:59+08:00")
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T20:59:59+08:00"])
    }

    @Test func aContactAtNineInTheEveningMovesToEightTheNextMorning() {
        let result = plan([fresh(loan("L1", dpd: 1))], at: "2026-11-21T21:00:00+08:00")
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-22T08:00:00+08:00"])
    }

    @Test func contactHoursAreTheBorrowersLocalHours() {
        // 09:00 in Beijing is 01:00 in London: the SMS waits for 08:00 London time.
        let result = plan([fresh(loan("L1", dpd: 1, offset: 0))], at: "2026-11-21T09:00:00+08:00")
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T08:00:00+00:00"])
        #expect(result.actions.first?.scheduledAt == instant("2026-11-21T16:00:00+08:00"))
    }

    @Test func aStageLocalTimeIsTheNextSuchTimeWithinTheDay() {
        // Pre-due reminder at 10:00 local. New York is 13 hours behind Beijing: 20:00 on the 20th
        // there, so the next 10:00 is on the 21st, New York time.
        let snapshot = loan("L1", dpd: 0, nextDue: today.adding(days: 3), offset: -5 * 3600)
        let result = plan([fresh(snapshot)], at: "2026-11-21T09:00:00+08:00")
        #expect(result.actions.map(\.action) == [.reminder])
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T10:00:00-05:00"])
    }

    @Test func attemptsAreSpacedAndAllInsideContactHours() {
        // High risk, 10+ days past due: agent call three times a day, 180 minutes apart.
        let result = plan([fresh(loan("L1", dpd: 10, score: 500))], at: "2026-11-21T15:00:00+08:00")
        #expect(result.actions.map(\.scheduledAtText) == [
            "2026-11-21T15:00:00+08:00", "2026-11-21T18:00:00+08:00", "2026-11-22T08:00:00+08:00",
        ])
        #expect(result.actions.allSatisfy { $0.reason.hasSuffix("attempt 3 moved to 08:00 local: outside contact hours 08:00-21:00") })
    }

    // MARK: call cap

    @Test func theSeventhCallInSevenDaysIsPlanned() {
        let past = (1...6).map { "2026-11-\(14 + $0)T10:00:00+08:00" }
        let result = plan([fresh(loan("L1", dpd: 8))], at: "2026-11-21T09:00:00+08:00", history: history(calls: past))
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00"])
        #expect(result.skipped.isEmpty)
    }

    @Test func theEighthCallWaitsUntilTheOldestLeavesTheWindow() {
        // Seven calls, the oldest exactly 7 days before 12:00 today: at 12:00:00 it has left the
        // window (t − 7 days, t], so an eighth call fits at 12:00 and not a second earlier.
        let past = ["2026-11-14T12:00:00+08:00"] + (1...6).map { "2026-11-\(14 + $0)T10:00:00+08:00" }
        let result = plan([fresh(loan("L1", dpd: 8))], at: "2026-11-21T09:00:00+08:00", history: history(calls: past))
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T12:00:00+08:00"])
        #expect(result.actions.first?.reason == "4-15/medium stage 2: agent_call daily; moved to 12:00 local: call cap")
        let guardHistory = history(calls: past)
        #expect(guardHistory.callBlock(loanId: "L1", at: instant("2026-11-21T11:59:59+08:00"))
            == .attemptCap(until: instant("2026-11-21T12:00:00+08:00")))
        #expect(guardHistory.callBlock(loanId: "L1", at: instant("2026-11-21T12:00:00+08:00")) == nil)
    }

    @Test func plannedCallsCountTowardsTheCap() {
        // Five calls in the window; three attempts planned today: the third would be the eighth.
        let past = (1...5).map { "2026-11-\(15 + $0)T10:00:00+08:00" }
        let result = plan([fresh(loan("L1", dpd: 10, score: 500))], at: "2026-11-21T09:00:00+08:00", history: history(calls: past))
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00", "2026-11-21T12:00:00+08:00"])
        #expect(result.actions.first?.reason.hasSuffix("attempt 3 dropped: 7 calls in 7 days reached") == true)
    }

    @Test func aCallThatCannotFitIsSkippedWithoutFallbackByDefault() {
        let past = (0..<7).map { "2026-11-20T\(10 + $0):00:00+08:00" }
        let result = plan([fresh(loan("L1", dpd: 8))], at: "2026-11-21T09:00:00+08:00", history: history(calls: past))
        #expect(result.actions.isEmpty)
        #expect(result.skipped == [SkippedAction(loanId: "L1", action: .agentCall,
                                                 reason: "4-15/medium stage 2: agent_call daily; dropped: 7 calls in 7 days reached")])
    }

    @Test func aLimitedCallFallsBackWhenTheStrategySaysSo() throws {
        var strategy = CollectionStrategy.standard
        strategy.callLimits.fallBackWhenLimited = true
        let engine = try CollectionEngine(strategy: strategy)
        let past = (0..<7).map { "2026-11-20T\(10 + $0):00:00+08:00" }
        let result = plan([fresh(loan("L1", dpd: 8), engine: engine)], at: "2026-11-21T09:00:00+08:00",
                          history: history(calls: past, strategy: strategy), engine: engine)
        // agent call → voice bot (a call: limited too) → sms.
        #expect(result.actions.map(\.action) == [.sms])
    }

    // MARK: quiet period

    @Test func noCallInTheSevenDaysAfterAConversation() {
        let past = history(calls: ["2026-11-14T09:00:00+08:00"], conversation: "2026-11-14T09:00:00+08:00")
        let result = plan([fresh(loan("L1", dpd: 8))], at: "2026-11-21T08:59:59+08:00", history: past)
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00"])
        #expect(result.actions.first?.reason.hasSuffix("moved to 09:00 local: quiet period after a conversation") == true)
        #expect(past.callBlock(loanId: "L1", at: instant("2026-11-21T08:59:59+08:00"))
            == .quietPeriod(until: instant("2026-11-21T09:00:00+08:00")))
        #expect(past.callBlock(loanId: "L1", at: instant("2026-11-21T09:00:00+08:00")) == nil)
    }

    @Test func anSMSIsNotHeldByTheQuietPeriod() {
        let past = history(calls: ["2026-11-20T09:00:00+08:00"], conversation: "2026-11-20T09:00:00+08:00")
        let result = plan([fresh(loan("L1", dpd: 1))], at: "2026-11-21T09:00:00+08:00", history: past)
        #expect(result.actions.map(\.action) == [.sms])
        #expect(result.actions.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00"])
    }

    @Test func aNoAnswerIsNotAConversation() {
        var past = ContactHistory(strategy: .standard)
        past.record(ContactOutcome(loanId: "L1", action: .agentCall, happenedAt: instant("2026-11-20T09:00:00+08:00"), result: .noAnswer))
        past.record(ContactOutcome(loanId: "L1", action: .sms, happenedAt: instant("2026-11-20T09:00:00+08:00"), result: .paid))
        #expect(past.lastConversation(of: "L1") == nil)
        #expect(plan([fresh(loan("L1", dpd: 8))], at: "2026-11-21T09:00:00+08:00", history: past).actions.count == 1)
    }

    // MARK: opt-outs and capacity

    @Test func aPhoneOptOutFallsBackToSMS() {
        let result = plan([fresh(loan("L1", dpd: 8, optOuts: OptOuts(channels: [.phone])))], at: "2026-11-21T09:00:00+08:00")
        #expect(result.actions.map(\.action) == [.sms])
        #expect(result.actions.map(\.channel) == [.sms])
        #expect(result.actions.first?.reason
            == "4-15/medium stage 2: agent_call daily; agent_call not used: phone opted out; voice_bot not used: phone opted out")
    }

    @Test func aBorrowerWhoOptedOutOfEverythingGetsNothing() {
        let result = plan([fresh(loan("L1", dpd: 8, optOuts: OptOuts(all: true)))], at: "2026-11-21T09:00:00+08:00")
        #expect(result.actions.isEmpty)
        #expect(result.skipped.map(\.reason) == ["4-15/medium stage 2: agent_call daily; agent_call not used: phone opted out; "
            + "voice_bot not used: phone opted out; sms not used: sms opted out; no permitted fallback"])
    }

    @Test func agentCapacityGoesToTheRiskiestLoansAndTheRestFallBack() throws {
        var strategy = CollectionStrategy.standard
        strategy.actions[3].dailyCapacity = 2 // agent_call
        let engine = try CollectionEngine(strategy: strategy)
        let cases = [("A", 540.0), ("B", 500.0), ("C", 520.0)].map { fresh(loan($0.0, dpd: 5, score: $0.1), engine: engine) }
        let result = plan(cases, at: "2026-11-21T09:00:00+08:00", engine: engine)
        // B (500) takes both agent attempts; C and A fall back to the voice bot, twice each.
        #expect(result.actions.map { "\($0.loanId):\($0.action)" } == [
            "B:agent_call", "B:agent_call", "C:voice_bot", "C:voice_bot", "A:voice_bot", "A:voice_bot",
        ])
        #expect(result.actions[2].reason.contains("agent_call not used: daily capacity reached"))
    }

    @Test func actionsAreOrderedByBucketThenRiskiestFirst() {
        let cases = [
            fresh(loan("late-safe", dpd: 40, score: 700)), fresh(loan("early-safe", dpd: 1, score: 700)),
            fresh(loan("late-risky", dpd: 40, score: 500)), fresh(loan("early-risky", dpd: 1, score: 500)),
        ]
        let result = plan(cases, at: "2026-11-21T09:00:00+08:00")
        var seen: [String] = []
        for action in result.actions where seen.last != action.loanId { seen.append(action.loanId) }
        #expect(seen == ["early-risky", "early-safe", "late-risky", "late-safe"])
    }

    // MARK: cadence, pauses, milestones

    @Test func aStageEveryTwoDaysActsOnItsDays() {
        // Low risk 4-15: voice bot every 2 days from day 4.
        var state: LadderState?
        var planned: [Int] = []
        for k in 4...8 {
            let snapshot = loan("L1", dpd: k, score: 700)
            let date = today.adding(days: k)
            state = standardEngine.advance(state, snapshot: snapshot, outcomes: [], on: date).state
            let result = standardEngine.plan([CollectionCase(snapshot: snapshot, state: state!)], history: ContactHistory(strategy: .standard),
                                             businessDate: date, asOf: instant("\(date)T09:00:00+08:00"))
            planned.append(result.actions.count)
        }
        // Days 4 and 6 voice bot; day 8 enters the agent stage.
        #expect(planned == [1, 0, 1, 0, 1])
    }

    @Test func aPausedLoanGetsNoLadderAction() {
        var state = standardEngine.advance(nil, snapshot: loan("L1", dpd: 5), outcomes: [], on: today).state!
        state.status = .paused
        let result = plan([CollectionCase(snapshot: loan("L1", dpd: 5), state: state)], at: "2026-11-21T09:00:00+08:00")
        #expect(result.actions.isEmpty)
        #expect(result.skipped.isEmpty)
    }

    @Test func aWriteOffIsBookedOnItsDayAtAnyHourAndDespiteOptOuts() {
        let snapshot = loan("L1", dpd: 180, optOuts: OptOuts(all: true))
        let result = plan([fresh(snapshot)], at: "2026-11-21T03:00:00+08:00")
        // First seen at 180: the bureau report is caught up on the same day.
        #expect(result.actions.map(\.action) == [.bureauReport, .writeOff])
        #expect(result.actions.filter { $0.action == .writeOff } == [PlannedAction(loanId: "L1", action: .writeOff, channel: .internal,
                                                 scheduledAt: instant("2026-11-21T03:00:00+08:00"), utcOffsetSeconds: china,
                                                 bucket: "90+", reason: "write-off at 180 days past due")])
    }

    @Test func aMilestoneAlreadyBookedIsNotBookedAgain() {
        var past = ContactHistory(strategy: .standard)
        past.record(PlannedAction(loanId: "L1", action: .bureauReport, channel: .internal, scheduledAt: instant("2026-10-01T09:00:00+08:00"),
                                  utcOffsetSeconds: china, bucket: "16-30", reason: ""))
        let result = plan([fresh(loan("L1", dpd: 30))], at: "2026-11-21T09:00:00+08:00", history: past)
        #expect(!result.actions.contains { $0.action == .bureauReport })
        #expect(result.skipped.map(\.action) == [.bureauReport])
    }

    @Test func theBureauReportAndTheInsuranceClaimComeOnTheirDays() {
        let result = plan([fresh(loan("L1", dpd: 30, insured: true)), fresh(loan("L2", dpd: 90, insured: true)), fresh(loan("L3", dpd: 90))],
                          at: "2026-11-21T09:00:00+08:00")
        let milestones = result.actions.filter { $0.action.isMilestone }.map { "\($0.loanId):\($0.action)" }
        // L2 and L3 are first seen at 90, so their bureau report is caught up today as well.
        #expect(Set(milestones) == ["L1:bureau_report", "L2:bureau_report", "L2:insurance_claim", "L3:bureau_report"])
    }

    @Test func actionsRenderAsACSVRow() {
        let action = PlannedAction(loanId: "L1", action: .voiceBot, channel: .phone, scheduledAt: instant("2026-11-21T01:30:00Z"),
                                   utcOffsetSeconds: -(4 * 3600 + 1800), bucket: "1-3", reason: "r")
        #expect(PlannedAction.csvHeader == ["loan_id", "action", "channel", "scheduled_at", "bucket", "reason"])
        #expect(action.csvFields == ["L1", "voice_bot", "phone", "2026-11-20T21:00:00-04:30", "1-3", "r"])
    }
}
