import LendingCollections
import LendingModel
import Testing

@Suite struct ContactLimitCheckerTests {
    let checker = ContactLimitChecker(strategy: .standard)

    func call(_ time: String, _ action: CollectionAction = .agentCall, loan: String = "L1") -> PlannedAction {
        let channel: ContactChannel = action == .sms ? .sms : action.isMilestone ? .internal : .phone
        return PlannedAction(loanId: loan, action: action, channel: channel, scheduledAt: instant(time), utcOffsetSeconds: china,
                             bucket: "4-15", reason: "")
    }

    func kinds(_ actions: [PlannedAction], outcomes: [ContactOutcome] = [], optOuts: OptOuts = .none) -> [ContactViolation.Kind] {
        checker.violations(actions: actions, outcomes: outcomes,
                           borrowers: ["L1": BorrowerContactRules(utcOffsetSeconds: china, optOuts: optOuts)]).map(\.kind)
    }

    @Test func contactHoursIncludeEightAndExcludeNine() {
        #expect(kinds([call("2026-11-21T07:59:59+08:00", .sms)]) == [.outsideContactHours])
        #expect(kinds([call("2026-11-21T08:00:00+08:00", .sms)]) == [])
        #expect(kinds([call("2026-11-21T20:59:59+08:00", .sms)]) == [])
        #expect(kinds([call("2026-11-21T21:00:00+08:00", .sms)]) == [.outsideContactHours])
    }

    @Test func hoursAreCheckedInTheBorrowersOffset() {
        // 09:00 in Beijing is 01:00 UTC: outside hours for a borrower at UTC+0.
        let violations = checker.violations(actions: [call("2026-11-21T09:00:00+08:00", .sms)], outcomes: [],
                                            borrowers: ["L1": BorrowerContactRules(utcOffsetSeconds: 0)])
        #expect(violations.map(\.kind) == [.outsideContactHours])
    }

    @Test func theSeventhCallInSevenDaysPassesAndTheEighthIsReported() {
        let seven = (0..<7).map { call("2026-11-\(14 + $0)T10:00:00+08:00") }
        #expect(kinds(seven) == [])
        // The eighth, one second before the first leaves the window.
        #expect(kinds(seven + [call("2026-11-21T09:59:59+08:00")]) == [.callCapExceeded])
        // At exactly 7 days after the first, the first has left (t − 7 days, t].
        #expect(kinds(seven + [call("2026-11-21T10:00:00+08:00")]) == [])
    }

    @Test func smsDoNotCountAsCalls() {
        let calls = (0..<7).map { call("2026-11-\(14 + $0)T10:00:00+08:00") }
        let messages = (0..<7).map { call("2026-11-\(14 + $0)T11:00:00+08:00", .sms) }
        #expect(kinds(calls + messages) == [])
    }

    @Test func aCallInTheQuietPeriodIsReportedUpToItsLastSecond() {
        let talk = ContactOutcome(loanId: "L1", action: .agentCall, happenedAt: instant("2026-11-14T09:00:00+08:00"), result: .promiseToPay)
        let first = call("2026-11-14T09:00:00+08:00")
        #expect(kinds([first, call("2026-11-21T08:59:59+08:00")], outcomes: [talk]) == [.callInQuietPeriod])
        #expect(kinds([first, call("2026-11-21T09:00:00+08:00")], outcomes: [talk]) == [])
        // The call that had the conversation is not in its own quiet period.
        #expect(kinds([first], outcomes: [talk]) == [])
    }

    @Test func anSMSConversationStartsNoQuietPeriod() {
        let reply = ContactOutcome(loanId: "L1", action: .sms, happenedAt: instant("2026-11-14T09:00:00+08:00"), result: .contacted)
        #expect(kinds([call("2026-11-15T09:00:00+08:00")], outcomes: [reply]) == [])
    }

    @Test func aContactOnAnOptedOutChannelIsReported() {
        #expect(kinds([call("2026-11-21T10:00:00+08:00")], optOuts: OptOuts(channels: [.phone])) == [.optedOutChannel])
        #expect(kinds([call("2026-11-21T10:00:00+08:00", .sms)], optOuts: OptOuts(channels: [.phone])) == [])
        #expect(kinds([call("2026-11-21T03:00:00+08:00", .writeOff)], optOuts: OptOuts(all: true)) == [])
    }

    @Test func aRepeatedMilestoneIsReported() {
        let log = [call("2026-11-21T10:00:00+08:00", .writeOff), call("2026-11-22T10:00:00+08:00", .writeOff)]
        #expect(kinds(log) == [.repeatedMilestone])
    }

    @Test func violationsNameTheLoanActionAndTime() {
        let violations = checker.violations(actions: [call("2026-11-21T22:00:00+08:00")], outcomes: [], borrowers: [:])
        #expect(violations.map(\.description) == ["outside_contact_hours L1 agent_call at 2026-11-21T14:00:00Z"])
    }
}
