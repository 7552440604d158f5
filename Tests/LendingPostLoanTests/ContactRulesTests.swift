import LendingCollections
import LendingLoanBook
import LendingMemoryStore
import LendingModel
import LendingPostLoan
import LendingStorePorts
import Testing

/// The contact rules whoever dials: outcomes of contacts the rules forbid are refused with the
/// rule's code, per person, and `collections plan` run again cancels the calls a recorded
/// conversation now forbids. The fixtures' loans L0, L1, ... are one person (one keyed hash).
@Suite struct ContactRulesTests {
    func at(_ text: String) -> Instant { Instant(iso: text)! }
    let recorder = OutcomeRecorder()

    func record(_ store: InMemoryStore, _ loan: String, _ action: CollectionAction, _ time: String, _ result: ContactResult = .noAnswer,
                optOut: String? = nil) throws -> OutcomeRecorder.Outcome {
        try store.withCollectionsTransaction { transaction in
            try recorder.record(ContactOutcome(loanId: loan, action: action, happenedAt: at(time), result: result), optOut: optOut, in: transaction)
        }
    }

    func refusal(_ body: () throws -> Any) -> ServicingRequestError? {
        do { _ = try body() } catch let error as ServicingRequestError { return error } catch { return nil }
        return nil
    }

    @Test func aContactOutsideContactHoursIsRefused() throws {
        let (store, _) = try bookWithLoans(1)
        let error = refusal { try record(store, "L0", .sms, "2026-03-02T21:00:00+08:00") }
        #expect(error?.code == "outcome.outside_hours")
        #expect(error?.field == "happened_at")
        #expect(try record(store, "L0", .sms, "2026-03-02T20:59:59+08:00") == .recorded)
    }

    @Test func aConversationOnOneLoanForbidsTheCallsOfThePersonsOtherLoans() throws {
        let (store, _) = try bookWithLoans(2)
        #expect(try record(store, "L0", .agentCall, "2026-03-02T08:00:00+08:00", .contacted) == .recorded)
        let error = refusal { try record(store, "L1", .agentCall, "2026-03-02T11:00:00+08:00") }
        #expect(error?.code == "outcome.quiet_period")
        // The message names the rule, the loan and the time, never the person.
        #expect(error?.message.contains("L1") == true)
        #expect(error?.message.contains("0a0a") == false)
        // An SMS is not held by the quiet period; the call is allowed once it ends.
        #expect(try record(store, "L1", .sms, "2026-03-02T11:00:00+08:00") == .recorded)
        #expect(try record(store, "L1", .agentCall, "2026-03-09T08:00:00+08:00") == .recorded)
        // Nothing refused was stored, and the store's audit agrees with the rules.
        #expect(try CollectionsCheck(strategy: .standard).run(store: store).violations.isEmpty)
    }

    @Test func anOptOutOnOneLoanStopsThatChannelOnEveryLoanFromThen() throws {
        let (store, _) = try bookWithLoans(2)
        #expect(try record(store, "L0", .sms, "2026-03-02T09:00:00+08:00", .contacted, optOut: "phone") == .recorded)
        #expect(refusal { try record(store, "L1", .agentCall, "2026-03-02T10:00:00+08:00") }?.code == "outcome.opted_out")
        #expect(refusal { try record(store, "L0", .voiceBot, "2026-03-03T10:00:00+08:00") }?.code == "outcome.opted_out")
        #expect(try record(store, "L1", .sms, "2026-03-02T10:00:00+08:00") == .recorded)
    }

    @Test func theCallCapCountsThePersonsCallsOnAllLoans() throws {
        let (store, _) = try bookWithLoans(2)
        for day in 1...7 {
            #expect(try record(store, day % 2 == 0 ? "L0" : "L1", .agentCall, "2026-03-0\(day)T10:00:00+08:00") == .recorded)
        }
        let error = refusal { try record(store, "L0", .voiceBot, "2026-03-07T15:00:00+08:00") }
        #expect(error?.code == "outcome.call_cap")
        // Seven days after the first call it has left the window.
        #expect(try record(store, "L0", .voiceBot, "2026-03-08T10:00:00+08:00") == .recorded)
        // The same row again is a repeat, not a refusal.
        #expect(try record(store, "L0", .voiceBot, "2026-03-08T10:00:00+08:00") == .repeated)
    }

    @Test func theOutcomeOfAPlannedCallCountsOnceAndMayComeAMinuteLate() throws {
        let (store, _) = try bookWithLoans(1)
        let planned = (1...7).map { day in
            PlannedAction(loanId: "L0", action: .agentCall, channel: .phone, scheduledAt: at("2026-03-0\(day)T10:00:00+08:00"), utcOffsetSeconds: 28_800,
                          bucket: "4-15", reason: "test")
        }
        try store.withCollectionsTransaction { try $0.insert(actions: planned, plannedOn: CalendarDay(iso: "2026-02-28")!) }
        // The seventh planned call's outcome, a minute after its time: the same attempt, under the cap.
        #expect(try record(store, "L0", .agentCall, "2026-03-07T10:01:00+08:00") == .recorded)
        // An eighth call in the window is one too many.
        #expect(refusal { try record(store, "L0", .agentCall, "2026-03-07T14:00:00+08:00") }?.code == "outcome.call_cap")
        #expect(try CollectionsCheck(strategy: .standard).run(store: store).violations.isEmpty)
    }

    // MARK: Re-planning

    func plannedDay(_ store: InMemoryStore) throws -> [PlannedAction] {
        func action(_ loan: String, _ kind: CollectionAction, _ time: String) -> PlannedAction {
            PlannedAction(loanId: loan, action: kind, channel: kind == .sms ? .sms : .phone, scheduledAt: at(time), utcOffsetSeconds: 28_800,
                          bucket: "4-15", reason: "4-15/medium stage 2: agent_call daily")
        }
        let plan = [action("L0", .agentCall, "2026-03-02T08:00:00+08:00"), action("L1", .agentCall, "2026-03-02T11:00:00+08:00"),
                    action("L1", .sms, "2026-03-02T12:00:00+08:00"), action("L0", .agentCall, "2026-03-02T14:00:00+08:00")]
        try store.withCollectionsTransaction { transaction in
            try transaction.insert(actions: plan, plannedOn: CalendarDay(iso: "2026-03-01")!)
            try transaction.insert(run: PostLoanRunRecord(day: CalendarDay(iso: "2026-03-01")!))
        }
        return plan
    }

    @Test func planningAgainAfterAConversationCancelsThePersonsLaterCallsWithTheReason() throws {
        let (store, _) = try bookWithLoans(2)
        let plan = try plannedDay(store)
        let job = CollectionsPlanJob(day: CalendarDay(iso: "2026-03-02")!, strategy: .standard)
        let morning = try #require(try job.run(store: store))
        #expect(morning.actions == plan && morning.cancelled.isEmpty)

        // The 08:00 call has a conversation: the person's 11:00 and 14:00 calls are now forbidden.
        #expect(try record(store, "L0", .agentCall, "2026-03-02T08:00:00+08:00", .promiseToPay) == .recorded)
        let again = try #require(try job.run(store: store))
        #expect(again.actions == [plan[0], plan[2]])
        #expect(again.cancelled.map(\.loanID) == ["L1", "L0"])
        #expect(again.cancelled.allSatisfy { $0.reason.hasPrefix("re-plan: outcome.quiet_period: ") })
        // The plan stays an honest record: the cancellations are stored with their reasons.
        let stored = try store.readCollections { try $0.cancelledActions(plannedOn: CalendarDay(iso: "2026-03-01")!) }
        #expect(stored == again.cancelled)
        #expect(try CollectionsPlanReader.actions(for: CalendarDay(iso: "2026-03-02")!, store: store) == [plan[0], plan[2]])

        // A third run changes nothing; the dialer that calls anyway is refused.
        let third = try #require(try job.run(store: store))
        #expect(third.actions == again.actions && third.cancelled.isEmpty && third.cancelledBefore == 2)
        #expect(refusal { try record(store, "L1", .agentCall, "2026-03-02T11:00:00+08:00") }?.code == "outcome.quiet_period")
        #expect(try CollectionsCheck(strategy: .standard).run(store: store).violations.isEmpty)
    }

    @Test func withoutTheReplanTheCheckReportsTheCallOnTheOtherLoan() throws {
        let (store, _) = try bookWithLoans(2)
        _ = try plannedDay(store)
        #expect(try record(store, "L0", .agentCall, "2026-03-02T08:00:00+08:00", .contacted) == .recorded)
        // The old dialer: calls the stored plan as it was (nothing cancelled).
        let result = try CollectionsCheck(strategy: .standard).run(store: store)
        #expect(result.violations.map(\.kind) == [.callInQuietPeriod, .callInQuietPeriod])
        #expect(Set(result.violations.map(\.loanId)) == ["L0", "L1"])
    }

    @Test func thereIsNoPlanToCheckBeforeTheDayBeforeRan() throws {
        let (store, _) = try bookWithLoans(1)
        #expect(try CollectionsPlanJob(day: CalendarDay(iso: "2026-03-02")!, strategy: .standard).run(store: store) == nil)
    }
}
