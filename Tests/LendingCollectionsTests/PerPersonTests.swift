import LendingCollections
import LendingModel
import Testing

/// The contact limits are per person: every loan and draw of one borrower (one contact key)
/// shares the cap, the quiet period, the spacing of attempts and the opt-outs.
@Suite struct PerPersonTests {
    let today = day("2026-11-21")
    let persons = ["D1": "p:one", "D2": "p:one", "D3": "p:one", "X": "p:other"]

    func fresh(_ snapshot: CollectionSnapshot) -> CollectionCase {
        CollectionCase(snapshot: snapshot, state: standardEngine.advance(nil, snapshot: snapshot, outcomes: [], on: today).state!)
    }

    func call(_ loan: String, _ time: String) -> PlannedAction {
        PlannedAction(loanId: loan, action: .agentCall, channel: .phone, scheduledAt: instant(time), utcOffsetSeconds: china, bucket: "4-15", reason: "")
    }

    @Test func threeDrawsOfOnePersonAreSpacedAndShareTheCap() {
        // Each draw alone would get its agent call at 09:00; five calls of the last seven days leave two.
        var history = ContactHistory(strategy: .standard, contactKeys: persons)
        for day in 16...20 { history.record(call("D\(day % 3 + 1)", "2026-11-\(day)T10:00:00+08:00")) }
        let result = standardEngine.plan([fresh(loan("D1", dpd: 8)), fresh(loan("D2", dpd: 8)), fresh(loan("D3", dpd: 8)), fresh(loan("X", dpd: 8))],
                                         history: history, businessDate: today, asOf: instant("2026-11-21T09:00:00+08:00"))
        let mine = result.actions.filter { persons[$0.loanId] == "p:one" }
        #expect(mine.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00", "2026-11-21T12:00:00+08:00"])
        #expect(mine.last?.reason.contains("another call to the same person") == true)
        #expect(result.skipped.contains { persons[$0.loanId] == "p:one" && $0.reason.contains("7 calls in 7 days reached") })
        // The other person is not held by them.
        #expect(result.actions.filter { $0.loanId == "X" }.map(\.scheduledAtText) == ["2026-11-21T09:00:00+08:00"])
    }

    @Test func aConversationOnOneDrawHoldsTheOthers() {
        var history = ContactHistory(strategy: .standard, contactKeys: persons)
        history.record(call("D1", "2026-11-20T10:00:00+08:00"))
        history.record(ContactOutcome(loanId: "D1", action: .agentCall, happenedAt: instant("2026-11-20T10:00:00+08:00"), result: .contacted))
        #expect(history.callBlock(loanId: "D2", at: instant("2026-11-21T10:00:00+08:00")) != nil)
        #expect(history.callBlock(loanId: "X", at: instant("2026-11-21T10:00:00+08:00")) == nil)
        let result = standardEngine.plan([fresh(loan("D2", dpd: 8))], history: history, businessDate: today, asOf: instant("2026-11-21T09:00:00+08:00"))
        #expect(result.actions.isEmpty)
        #expect(result.skipped.first?.reason.contains("quiet period") == true)
    }

    @Test func refusalsNameTheRuleAndItsCode() {
        var history = ContactHistory(strategy: .standard, contactKeys: persons)
        history.record(OptOutRecord(loanId: "D1", channel: .sms, since: instant("2026-11-21T09:00:00+08:00")))
        history.record(ContactOutcome(loanId: "D3", action: .voiceBot, happenedAt: instant("2026-11-21T08:00:00+08:00"), result: .promiseToPay))
        func refusal(_ loan: String, _ action: CollectionAction, _ channel: ContactChannel, _ time: String) -> String? {
            history.refusal(loanId: loan, action: action, channel: channel, at: instant(time), utcOffsetSeconds: china)?.code
        }
        #expect(refusal("D2", .sms, .sms, "2026-11-21T10:00:00+08:00") == "outcome.opted_out")
        #expect(refusal("D2", .sms, .sms, "2026-11-21T08:30:00+08:00") == nil)      // before the opt-out
        #expect(refusal("D2", .agentCall, .phone, "2026-11-21T10:00:00+08:00") == "outcome.quiet_period")
        #expect(refusal("X", .agentCall, .phone, "2026-11-21T10:00:00+08:00") == nil)
        #expect(refusal("X", .agentCall, .phone, "2026-11-21T21:00:00+08:00") == "outcome.outside_hours")
        #expect(refusal("D2", .writeOff, .internal, "2026-11-21T03:00:00+08:00") == nil)
    }

    @Test func theReplayCheckerCountsAPersonsLoansTogether() {
        let checker = ContactLimitChecker(strategy: .standard)
        // Seven calls on three draws and an eighth on a fourth day's draw: one person, over the cap.
        let log = (14...20).map { call("D\($0 % 3 + 1)", "2026-11-\($0)T10:00:00+08:00") } + [call("D1", "2026-11-20T14:00:00+08:00")]
        #expect(checker.violations(actions: log, outcomes: [], borrowers: [:]).isEmpty)
        #expect(checker.violations(actions: log, outcomes: [], borrowers: [:], contactKeys: persons).map(\.kind) == [.callCapExceeded])
        // A conversation on D1 and a call on D2 three hours later; an off-plan call recorded only as an outcome.
        let talk = ContactOutcome(loanId: "D1", action: .agentCall, happenedAt: instant("2026-11-21T09:00:00+08:00"), result: .contacted)
        let offPlan = ContactOutcome(loanId: "D3", action: .agentCall, happenedAt: instant("2026-11-21T13:00:00+08:00"), result: .noAnswer)
        let found = checker.violations(actions: [call("D1", "2026-11-21T09:00:00+08:00"), call("D2", "2026-11-21T12:00:00+08:00")],
                                       outcomes: [talk, offPlan], borrowers: [:], contactKeys: persons)
        #expect(found.map { "\($0.kind.rawValue) \($0.loanId)" } == ["call_in_quiet_period D2", "call_in_quiet_period D3"])
        // An opt-out forbids what comes after it only.
        let optOut = OptOutRecord(loanId: "D2", channel: .phone, since: instant("2026-11-21T10:00:00+08:00"))
        let opted = checker.violations(actions: [call("D1", "2026-11-21T09:00:00+08:00"), call("D3", "2026-11-21T12:00:00+08:00")],
                                       outcomes: [], borrowers: [:], optOuts: [optOut], contactKeys: persons)
        #expect(opted.map { "\($0.kind.rawValue) \($0.loanId)" } == ["opted_out_channel D3"])
    }
}
