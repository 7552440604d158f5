import LendingCollections
import LendingModel
import LendingStorePorts
import Testing

/// What the per-person contact limits read: every loan and draw of one person, and the calls,
/// outcomes, opt-outs and cancellations of a set of loans.
@Suite struct CollectionsContactsConformanceTests {
    func at(_ hour: Int) -> Instant { Instant(iso: "2026-02-02T\(hour < 10 ? "0" : "")\(hour):00:00+08:00")! }

    @Test(arguments: StoreKind.allCases)
    func contactKeysGroupEveryLoanAndDrawOfAPersonAcrossApplications(_ kind: StoreKind) throws {
        let store = try kind.open()
        let same = String(repeating: "ab", count: 32), other = String(repeating: "cd", count: 32)
        // A and C are one person (one keyed hash of the ID number) on two applications; B is another.
        try storeApplications(store, [ApplicationSpec(id: "A", minute: 0, personKey: same), ApplicationSpec(id: "B", minute: 1, personKey: other),
                                      ApplicationSpec(id: "C", minute: 2, personKey: same)])
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(loan: signedLoan("A"))
            try transaction.insert(loan: signedLoan("B"))
            try transaction.insert(agreement: agreement("C", kind: .revolving), loan: nil, line: storedLine("C"))
            try transaction.insert(loan: signedLoan("C-D1", line: "C"))
            try transaction.insert(loan: signedLoan("C-D2", line: "C"))
            // A line whose application is not stored: its draws are one person by the application.
            try transaction.insert(agreement: agreement("Z", kind: .revolving), loan: nil, line: storedLine("Z"))
            try transaction.insert(loan: signedLoan("Z-D1", line: "Z"))
            try transaction.insert(loan: signedLoan("Z-D2", line: "Z"))
        }
        try store.readCollections { transaction throws in
            let keys = try transaction.contactKeys(sharingPersonWith: ["C-D1"])
            #expect(Set(keys.keys) == ["A", "C-D1", "C-D2"])
            #expect(Set(keys.values).count == 1)
            let both = try transaction.contactKeys(sharingPersonWith: ["B", "Z-D2", "unknown"])
            #expect(Set(both.keys) == ["B", "Z-D1", "Z-D2"])
            #expect(both["Z-D1"] == both["Z-D2"] && both["B"] != both["Z-D1"])
            #expect(keys["A"] != both["B"])
            #expect(try transaction.contactKeys(sharingPersonWith: []).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func actionsOutcomesOptOutsAndCancellationsAreReadForSomeLoans(_ kind: StoreKind) throws {
        let store = try kind.open()
        let first = action("L1", .agentCall, at: at(9)), second = action("L2", .agentCall, at: at(10)), third = action("L1", .agentCall, at: at(12))
        let elsewhere = action("L3", .agentCall, at: at(9))
        try store.withCollectionsTransaction { transaction throws in
            try transaction.insert(actions: [third, first, second, elsewhere], plannedOn: day("2026-02-01"))
            try transaction.cancel([("L1", .agentCall, at(12))], reason: "re-plan: outcome.quiet_period: inside the quiet period")
            try transaction.insert(outcome: outcome("L2", .agentCall, at: at(10), optOut: "phone"))
            try transaction.insert(outcome: outcome("L1", .agentCall, at: at(9)))
            try transaction.insert(outcome: outcome("L3", .agentCall, at: at(9), optOut: "all"))
        }
        try store.readCollections { transaction throws in
            #expect(try transaction.actions(loanIDs: ["L1", "L2"], scheduledFrom: at(0), to: at(23)) == [first, second])
            #expect(try transaction.actions(loanIDs: ["L1", "L2"], scheduledFrom: at(10), to: at(23)) == [second])
            #expect(try transaction.outcomes(loanIDs: ["L2", "L1"], from: at(0), to: at(23)).map(\.loanId) == ["L1", "L2"])
            #expect(try transaction.outcomes(loanIDs: ["L1"], from: at(10), to: at(23)).isEmpty)
            #expect(try transaction.optOutRecords(loanIDs: ["L2"]) == [OptOutRecord(loanId: "L2", channel: .phone, since: at(10))])
            #expect(try transaction.optOutRecords(loanIDs: nil) == [OptOutRecord(loanId: "L3", channel: nil, since: at(9)),
                                                                    OptOutRecord(loanId: "L2", channel: .phone, since: at(10))])
            #expect(try transaction.cancelledActions(plannedOn: day("2026-02-01"))
                == [CancelledAction(loanID: "L1", action: .agentCall, scheduledAt: at(12), reason: "re-plan: outcome.quiet_period: inside the quiet period")])
            #expect(try transaction.cancelledActions(plannedOn: day("2026-02-02")).isEmpty)
        }
    }
}
