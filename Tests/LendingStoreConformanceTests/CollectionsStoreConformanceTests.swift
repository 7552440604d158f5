import LendingCollections
import LendingDecisioning
import LendingModel
import LendingServicing
import LendingStorePorts
import Testing

@Suite struct CollectionsStoreConformanceTests {
    /// 2026-02-02 at `hour`:`minutes` in Beijing.
    func at(_ hour: Int, _ minutes: Int = 0) -> Instant {
        Instant(iso: "2026-02-02T\(hour < 10 ? "0" : "")\(hour):\(minutes < 10 ? "0" : "")\(minutes):00+08:00")!
    }

    // MARK: Runs

    @Test(arguments: StoreKind.allCases)
    func aDaysPostLoanRunIsStoredOnce(_ kind: StoreKind) throws {
        let store = try kind.open()
        #expect(try store.readCollections { try $0.lastPostLoanRun() } == nil)
        let run = PostLoanRunRecord(day: day("2026-01-21"), loansInCollections: 12, actionsPlanned: 30, writeOffs: 1, writtenOffPrincipal: yuan("3280.23"),
                                    lineActions: 2, snapshots: 0)
        try store.withCollectionsTransaction { transaction throws in
            try transaction.insert(run: PostLoanRunRecord(day: day("2026-01-20")))
            try transaction.insert(run: PostLoanRunRecord(day: day("2026-01-22")))
            try transaction.insert(run: run)
        }
        #expect(throws: (any Error).self) { try store.withCollectionsTransaction { try $0.insert(run: PostLoanRunRecord(day: day("2026-01-21"))) } }
        try store.readCollections { transaction throws in
            #expect(try transaction.postLoanRun(on: day("2026-01-21")) == run)
            #expect(try transaction.postLoanRun(on: day("2026-01-23")) == nil)
            #expect(try transaction.lastPostLoanRun() == day("2026-01-22"))
        }
    }

    // MARK: Action log

    @Test(arguments: StoreKind.allCases)
    func insertingActionsCountsTheNewOnesAndKeepsTheFirst(_ kind: StoreKind) throws {
        let store = try kind.open()
        let first = action("L1", .sms, at: at(10), reason: "first")
        let other = action("L2", .agentCall, at: at(10))
        let again = action("L1", .sms, at: at(10), reason: "again", channel: .app)
        let later = action("L1", .sms, at: at(15))
        let (one, two) = try store.withCollectionsTransaction { transaction throws in
            (try transaction.insert(actions: [first, other, again], plannedOn: day("2026-02-01")),
             try transaction.insert(actions: [again, later], plannedOn: day("2026-02-02")))
        }
        #expect(one == 2 && two == 1)
        try store.readCollections { transaction throws in
            #expect(try transaction.actions(plannedOn: day("2026-02-01")) == [first, other])
            #expect(try transaction.actions(plannedOn: day("2026-02-02")) == [later])
            #expect(try transaction.allActions() == [first, other, later])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func executedActionsAreInTimeOrderWithTiesInTheOrderStored(_ kind: StoreKind) throws {
        let store = try kind.open()
        let noon = action("L3", .sms, at: at(12)), second = action("L2", .sms, at: at(10)), first = action("L1", .sms, at: at(9))
        let tie = action("L1", .agentCall, at: at(10))
        _ = try store.withCollectionsTransaction { try $0.insert(actions: [noon, second, first, tie], plannedOn: day("2026-02-01")) }
        try store.readCollections { transaction throws in
            #expect(try transaction.allActions() == [first, second, tie, noon])
            // Half-open: from 10:00 up to, not including, 12:00.
            #expect(try transaction.actions(scheduledFrom: at(10), to: at(12)) == [second, tie])
            #expect(try transaction.actions(plannedOn: day("2026-02-01")) == [noon, second, first, tie])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCancelledActionLeavesTheExecutedLogButStaysInThePlan(_ kind: StoreKind) throws {
        let store = try kind.open()
        let sms = action("L1", .sms, at: at(10)), call = action("L1", .agentCall, at: at(11)), other = action("L2", .agentCall, at: at(10, 30))
        let report = action("L1", .bureauReport, at: at(9)), edge = action("L2", .sms, at: at(12))
        try store.withCollectionsTransaction { transaction throws in
            try transaction.insert(actions: [sms, call, other, report, edge], plannedOn: day("2026-02-02"))
            try transaction.cancel([(loanID: "L1", action: .agentCall, scheduledAt: at(11))], reason: "a conversation earlier the same day")
            try transaction.cancel([(loanID: "L1", action: .agentCall, scheduledAt: at(11))], reason: "again")
        }
        try store.readCollections { transaction throws in
            #expect(try transaction.allActions() == [report, sms, other, edge])
            #expect(try transaction.actions(scheduledFrom: at(9), to: at(12)) == [report, sms, other])
            #expect(try transaction.actions(plannedOn: day("2026-02-02")) == [sms, call, other, report, edge])
            // Milestones are not contacts; a cancelled call is not one either.
            #expect(try transaction.contactCounts(from: at(9), to: at(12)) == ["L1": 1, "L2": 1])
            #expect(try transaction.contactCounts(from: at(9), to: at(13)) == ["L1": 1, "L2": 2])
            #expect(try transaction.milestoneActions() == [report])
        }
    }

    // MARK: Outcomes

    @Test(arguments: StoreKind.allCases)
    func anOutcomeIsStoredOnceAndTakenByOneRun(_ kind: StoreKind) throws {
        let store = try kind.open()
        let promise = outcome("L1", .agentCall, at: at(10), result: .promiseToPay, optOut: "sms")
        let early = outcome("L2", .sms, at: at(9), result: .noAnswer), noon = outcome("L1", .sms, at: at(12))
        try store.withCollectionsTransaction { transaction throws in
            for stored in [promise, early, noon] { try transaction.insert(outcome: stored) }
        }
        #expect(throws: (any Error).self) {
            try store.withCollectionsTransaction { try $0.insert(outcome: outcome("L1", .agentCall, at: at(10), result: .dispute)) }
        }
        try store.readCollections { transaction throws in
            #expect(try transaction.outcome(loanID: "L1", action: .agentCall, happenedAt: at(10)) == promise)
            #expect(try transaction.outcome(loanID: "L1", action: .sms, happenedAt: at(10)) == nil)
            #expect(try transaction.unappliedOutcomes(before: at(12)) == [early.outcome, promise.outcome])
            #expect(try transaction.outcomes(from: at(9), to: at(12)) == [early.outcome, promise.outcome])
        }
        // Marked in a transaction that fails: still unapplied.
        #expect(throws: Refused.self) {
            try store.withCollectionsTransaction { transaction throws in
                try transaction.markOutcomesApplied(before: at(13), on: day("2026-02-02"))
                throw Refused()
            }
        }
        #expect(try store.readCollections { try $0.unappliedOutcomes(before: at(13)) }.count == 3)
        try store.withCollectionsTransaction { try $0.markOutcomesApplied(before: at(12), on: day("2026-02-02")) }
        try store.readCollections { transaction throws in
            #expect(try transaction.unappliedOutcomes(before: at(23)) == [noon.outcome])
            #expect(try transaction.allOutcomes() == [early.outcome, promise.outcome, noon.outcome])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func optOutsAccumulateByLoan(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withCollectionsTransaction { transaction throws in
            try transaction.insert(outcome: outcome("L1", .sms, at: at(9), optOut: "sms"))
            try transaction.insert(outcome: outcome("L1", .agentCall, at: at(10), optOut: "all"))
            try transaction.insert(outcome: outcome("L1", .agentCall, at: at(11), optOut: "sms"))
            try transaction.insert(outcome: outcome("L2", .agentCall, at: at(10), optOut: "phone"))
            try transaction.insert(outcome: outcome("L3", .agentCall, at: at(10)))
        }
        #expect(try store.readCollections { try $0.optOuts() } == ["L1": OptOuts(all: true, channels: [.sms]), "L2": OptOuts(channels: [.phone])])
    }

    // MARK: Ladder

    @Test(arguments: StoreKind.allCases)
    func openLaddersLeaveWrittenOffLoansOutAndAreReplacedByLoan(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withCollectionsTransaction { try $0.save(ladders: [ladder("L1"), ladder("L2", status: .paused), ladder("L3", status: .writtenOff)]) }
        #expect(try store.readCollections { try $0.openLadders() } == ["L1": ladder("L1"), "L2": ladder("L2", status: .paused)])
        try store.withCollectionsTransaction { transaction throws in
            try transaction.save(ladders: [ladder("L1", stage: 2, maxDaysPastDue: 9)])
            try transaction.deleteLadders(loanIDs: ["L2", "nope"])
        }
        #expect(try store.readCollections { try $0.openLadders() } == ["L1": ladder("L1", stage: 2, maxDaysPastDue: 9)])
    }

    // MARK: Lines

    @Test(arguments: StoreKind.allCases)
    func lineUsagesAreTheLatestRecordedOnOrBeforeADay(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withCollectionsTransaction { transaction throws in
            try transaction.recordLineUsage(lineID: "A2", drawn: yuan("100"), limit: yuan("1000"), on: day("2026-01-10"))
            try transaction.recordLineUsage(lineID: "A2", drawn: yuan("300"), limit: yuan("1000"), on: day("2026-01-20"))
            try transaction.recordLineUsage(lineID: "A2", drawn: .zero, limit: yuan("500"), on: day("2026-01-30"))
            try transaction.recordLineUsage(lineID: "A3", drawn: yuan("50"), limit: yuan("200"), on: day("2026-01-25"))
            // The same day again replaces it.
            try transaction.recordLineUsage(lineID: "A2", drawn: yuan("350"), limit: yuan("1000"), on: day("2026-01-20"))
        }
        func usages(_ onOrBefore: String) throws -> [String: String] {
            try store.readCollections { try $0.lineUsages(onOrBefore: day(onOrBefore)) }.mapValues { "\($0.drawn)/\($0.limit)" }
        }
        #expect(try usages("2026-01-05") == [:])
        #expect(try usages("2026-01-24") == ["A2": "350.00/1000.00"])
        #expect(try usages("2026-01-25") == ["A2": "350.00/1000.00", "A3": "50.00/200.00"])
        #expect(try usages("2026-02-01") == ["A2": "0.00/500.00", "A3": "50.00/200.00"])
    }

    @Test(arguments: StoreKind.allCases)
    func aLinesWarningLevelIsTheLatestSaved(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withCollectionsTransaction { transaction throws in
            try transaction.saveLineLevel(lineID: "A2", level: .watch, on: day("2026-01-10"))
            try transaction.saveLineLevel(lineID: "A3", level: .none, on: day("2026-01-10"))
            try transaction.saveLineLevel(lineID: "A2", level: .severe, on: day("2026-01-12"))
            try transaction.insert(warnings: [StoredWarning(day: day("2026-01-12"), lineID: "A2", level: .severe, action: .freeze, newLimit: nil,
                                                            reasons: "EW_PARTIAL_PAYMENTS=3")])
            try transaction.insert(events: [PostLoanEvent(day: day("2026-01-12"), subject: "A2", kind: "line_frozen", detail: "severe")])
        }
        #expect(try store.readCollections { try $0.lineLevels() } == ["A2": .severe, "A3": WarningLevel.none])
    }

    @Test(arguments: StoreKind.allCases)
    func paidOutTotalsWrittenOffLoansAndLinesReadTheLoanBook(_ kind: StoreKind) throws {
        let store = try kind.open()
        let states = try payOut(store, [signedLoan("L1"), signedLoan("L2", principal: "5000")])
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(loan: signedLoan("L3"))
            for id in ["B2", "A9", "A10"] { try transaction.insert(agreement: agreement(id, kind: .revolving), loan: nil, line: storedLine(id)) }
        }
        var writtenOff = states[1]
        writtenOff.status = .writtenOff
        writtenOff.closedOn = day("2026-08-15")
        try store.withServicingTransaction { try $0.save(states: [writtenOff]) }
        try store.readCollections { transaction throws in
            let totals = try transaction.paidOutTotals()
            #expect(totals.loans == 2 && totals.principal == yuan("15000"))
            #expect(try transaction.writtenOffLoans() == [writtenOff])
            #expect(try transaction.allLines().map(\.line.lineID) == ["A10", "A9", "B2"])
        }
    }

    // MARK: People and decisions

    @Test(arguments: StoreKind.allCases)
    func personKeysAreReadByApplicationAndByTimeApplied(_ kind: StoreKind) throws {
        let store = try kind.open()
        let keys = ["A": String(repeating: "01", count: 32), "B": String(repeating: "02", count: 32), "C": String(repeating: "03", count: 32)]
        try storeApplications(store, [ApplicationSpec(id: "A", minute: 0, personKey: keys["A"]!), ApplicationSpec(id: "B", minute: 10, personKey: keys["B"]!),
                                      ApplicationSpec(id: "C", minute: 20, personKey: keys["C"]!)])
        try store.readCollections { transaction throws in
            #expect(try transaction.personKeys(applicationIDs: ["B", "X", "C"]) == ["B": keys["B"]!, "C": keys["C"]!])
            #expect(try transaction.applicationPersons(from: minute(0), to: minute(20)) == ["A": keys["A"]!, "B": keys["B"]!])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func latestDecisionsAreInDecisionOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        try storeApplications(store, [ApplicationSpec(id: "A"), ApplicationSpec(id: "B", minute: 1, outcome: .review),
                                      ApplicationSpec(id: "C", minute: 2, outcome: .decline)])
        try appendReview(store, "B", .decline, minute: 30)
        #expect(try store.readCollections { try $0.latestDecisions() } == [
            FunnelDecision(outcome: .approve, reasonCodes: []),
            FunnelDecision(outcome: .decline, reasonCodes: ["CR_LOW_SCORE", "FR_RING_LINKED"]),
            FunnelDecision(outcome: .decline, reasonCodes: ["PL_REVIEW_DECLINED"]),
        ])
    }

    @Test(arguments: StoreKind.allCases)
    func everyPaymentIsReadInTheOrderStored(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(repayment: repayment("P9", loan: "L1", fen: 100, on: "2026-02-15"))
            try transaction.insert(repayment: repayment("P1", loan: "L2", fen: 200, on: "2026-02-10"))
        }
        try store.withServicingTransaction { try $0.insert(repayment: repayment("P5", loan: "L1", fen: 300, on: "2026-02-20")) }
        #expect(try store.readCollections { try $0.allPayments() } == [
            PaymentRecord(loanId: "L1", paidOn: day("2026-02-15"), amount: Money(fen: 100)),
            PaymentRecord(loanId: "L2", paidOn: day("2026-02-10"), amount: Money(fen: 200)),
            PaymentRecord(loanId: "L1", paidOn: day("2026-02-20"), amount: Money(fen: 300)),
        ])
        // A reversed payment is no longer money received; one whose reversal waits or was rejected still is.
        let time = Instant(iso: "2026-02-21T09:00:00+08:00")!
        try store.withServicingTransaction { transaction in
            try transaction.save(approval: ApprovalRequest(requestID: "reversal:P9", kind: "reversal", target: "P9", payload: "{}", requestedBy: "a",
                                                           requestedAt: time, status: .approved, decidedBy: "b", decidedAt: time))
            try transaction.save(approval: ApprovalRequest(requestID: "reversal:P1", kind: "reversal", target: "P1", payload: "{}", requestedBy: "a",
                                                           requestedAt: time))
            try transaction.save(approval: ApprovalRequest(requestID: "reversal:P5", kind: "reversal", target: "P5", payload: "{}", requestedBy: "a",
                                                           requestedAt: time, status: .rejected, decidedBy: "b", decidedAt: time))
        }
        #expect(try store.readCollections { try $0.allPayments() } == [
            PaymentRecord(loanId: "L2", paidOn: day("2026-02-10"), amount: Money(fen: 200)),
            PaymentRecord(loanId: "L1", paidOn: day("2026-02-20"), amount: Money(fen: 300)),
        ])
    }

    // MARK: Report

    @Test(arguments: StoreKind.allCases)
    func snapshotsAreReadThroughAMonthByMonthThenLoan(_ kind: StoreKind) throws {
        let store = try kind.open()
        func snapshot(_ loanID: String, _ at: String, dpd: Int = 0) -> MonthlyLoanSnapshot {
            MonthlyLoanSnapshot(loanId: loanID, originationMonth: month("2026-01"), month: month(at), daysPastDue: dpd,
                                outstandingPrincipal: yuan("6719.77"), originalPrincipal: yuan("10000"), writtenOff: dpd > 90)
        }
        try store.withCollectionsTransaction { transaction throws in
            try transaction.insert(snapshots: [snapshot("L2", "2026-02"), snapshot("L9", "2026-01"), snapshot("L1", "2026-01"), snapshot("L1", "2026-03")])
            try transaction.insert(snapshots: [snapshot("L1", "2026-01", dpd: 95)])
        }
        try store.readCollections { transaction throws in
            #expect(try transaction.snapshots(through: month("2026-02")) == [snapshot("L1", "2026-01", dpd: 95), snapshot("L9", "2026-01"), snapshot("L2", "2026-02")])
            #expect(try transaction.hasSnapshots(month: month("2026-03")))
            #expect(try !transaction.hasSnapshots(month: month("2026-04")))
            #expect(try transaction.snapshots(through: month("2025-12")).isEmpty)
        }
    }

    // MARK: Transactions

    @Test(arguments: StoreKind.allCases)
    func aThrownErrorRollsBackEverythingOfTheDay(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withCollectionsTransaction { try $0.insert(outcome: outcome("L1", at: at(9))) }
        #expect(throws: Refused.self) {
            try store.withCollectionsTransaction { transaction throws in
                try transaction.insert(loan: signedLoan("L1"))
                try transaction.insert(run: PostLoanRunRecord(day: day("2026-02-02")))
                #expect(try transaction.insert(actions: [action("L1", at: at(10))], plannedOn: day("2026-02-02")) == 1)
                try transaction.save(ladders: [ladder("L1")])
                try transaction.markOutcomesApplied(before: at(10), on: day("2026-02-02"))
                try transaction.insert(snapshots: [MonthlyLoanSnapshot(loanId: "L1", originationMonth: month("2026-01"), month: month("2026-01"),
                                                                       daysPastDue: 0, outstandingPrincipal: yuan("1"), originalPrincipal: yuan("1"))])
                try transaction.saveLineLevel(lineID: "A2", level: .watch, on: day("2026-02-02"))
                try transaction.recordLineUsage(lineID: "A2", drawn: yuan("1"), limit: yuan("2"), on: day("2026-02-02"))
                #expect(try transaction.postLoanRun(on: day("2026-02-02")) != nil)
                throw Refused()
            }
        }
        try store.readCollections { transaction throws in
            #expect(try transaction.loans(["L1"]).isEmpty)
            #expect(try transaction.lastPostLoanRun() == nil)
            #expect(try transaction.allActions().isEmpty && transaction.openLadders().isEmpty)
            #expect(try transaction.unappliedOutcomes(before: at(10)).count == 1)
            #expect(try !transaction.hasSnapshots(month: month("2026-01")))
            #expect(try transaction.lineLevels().isEmpty && transaction.lineUsages(onOrBefore: day("2026-12-31")).isEmpty)
        }
        // The same actions are new again.
        #expect(try store.withCollectionsTransaction { try $0.insert(actions: [action("L1", at: at(10))], plannedOn: day("2026-02-02")) } == 1)
    }
}
