import Dispatch
import Foundation
import LendingDecisioning
import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts
import Testing

@Suite struct ServicingStoreConformanceTests {
    // MARK: Agreements, loans and lines

    @Test(arguments: StoreKind.allCases)
    func aLoansPaymentsAreReadInTheOrderTheyWerePosted(_ kind: StoreKind) throws {
        let store = try kind.open()
        func posted(_ id: String, _ loan: String, sequence: Int64, on date: String) -> StoredRepayment {
            var payment = repayment(id, loan: loan, fen: 100 + sequence, on: date)
            payment.entrySequence = sequence
            return payment
        }
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(repayment: posted("P9", "L1", sequence: 30, on: "2026-02-15"))
            try transaction.insert(repayment: posted("P1", "L2", sequence: 31, on: "2026-02-10"))
            try transaction.insert(repayment: posted("P5", "L1", sequence: 12, on: "2026-02-15"))
        }
        try store.withServicingTransaction { try $0.insert(repayment: posted("P7", "L1", sequence: 40, on: "2026-02-01")) }
        #expect(try store.readServicing { try $0.repayments(loanID: "L1") }.map(\.paymentID) == ["P5", "P9", "P7"])
        #expect(try store.readServicing { try $0.repayments(loanID: "L1") }.first == posted("P5", "L1", sequence: 12, on: "2026-02-15"))
        #expect(try store.readServicing { try $0.repayments(loanID: "L2") }.map(\.paymentID) == ["P1"])
        #expect(try store.readServicing { try $0.repayments(loanID: "L3") }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func anAgreementIsStoredWithTheLoanOrTheLineItMakes(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(agreement: agreement("A1"), loan: signedLoan("A1"), line: nil)
            try transaction.insert(agreement: agreement("A2", kind: .revolving, amount: "20000"), loan: nil, line: storedLine("A2"))
        }
        try store.readServicing { transaction throws in
            #expect(try transaction.agreement(applicationID: "A1") == agreement("A1"))
            #expect(try transaction.agreement(applicationID: "A2") == agreement("A2", kind: .revolving, amount: "20000"))
            #expect(try transaction.agreement(applicationID: "A3") == nil)
            #expect(try transaction.loans(["A1", "A2"]) == ["A1": signedLoan("A1")])
            #expect(try transaction.line("A2") == storedLine("A2"))
            #expect(try transaction.line("A1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anApplicationIsSignedOnce(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(agreement: agreement("A1"), loan: signedLoan("A1"), line: nil) }
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { try $0.insert(agreement: agreement("A1", amount: "5000"), loan: signedLoan("A1-again"), line: nil) }
        }
        #expect(try store.readServicing { try $0.agreement(applicationID: "A1") } == agreement("A1"))
        #expect(try loan(store, "A1-again") == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func approvedApplicationsWithoutAnAgreementAreInDecisionOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        try storeApplications(store, [ApplicationSpec(id: "A"), ApplicationSpec(id: "B", minute: 1, outcome: .review),
                                      ApplicationSpec(id: "C", minute: 2), ApplicationSpec(id: "D", minute: 3, outcome: .decline)])
        let review = try appendReview(store, "B", .approve, minute: 10)
        try store.readServicing { transaction throws in
            let all = try transaction.approvedWithoutAgreement()
            #expect(all.map(\.application.applicationID) == ["A", "C", "B"])
            #expect(all.last?.decision == review)
            #expect(all.first?.application == application(for: ApplicationSpec(id: "A"), sequence: 1))
            // Named: in the order given, once each, only those approved and not signed.
            let named = try transaction.approvedWithoutAgreement(applicationIDs: ["B", "X", "D", "C", "B"])
            #expect(named.map(\.application.applicationID) == ["B", "C"])
        }
        try store.withServicingTransaction { try $0.insert(agreement: agreement("A"), loan: signedLoan("A"), line: nil) }
        #expect(try store.readServicing { try $0.approvedWithoutAgreement() }.map(\.application.applicationID) == ["C", "B"])
        #expect(try store.readServicing { try $0.approvedWithoutAgreement(applicationIDs: ["A"]) }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aLoanIsStoredOnceAndHasNoStateUntilItIsPaidOut(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(loan: signedLoan("L1")) }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(loan: signedLoan("L1", principal: "5")) } }
        let stored = try #require(try loan(store, "L1"))
        #expect(stored == signedLoan("L1"))
        #expect(stored.status == .signed && stored.state == nil)
        #expect(try store.readServicing { try $0.loans(["L1", "L2", "L1"]) }.keys.sorted() == ["L1"])
    }

    @Test(arguments: StoreKind.allCases)
    func activationMakesASignedLoanActiveOnceAndOnlyPaidOutLoansSaveStates(_ kind: StoreKind) throws {
        let store = try kind.open()
        let paid = try #require(try payOut(store, [signedLoan("L1")]).first)
        try store.withServicingTransaction { try $0.insert(loan: signedLoan("L2")) }
        let stored = try #require(try loan(store, "L1"))
        #expect(stored.status == .active && stored.state == paid)
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.activate(states: [paid]) } }
        let waiting = try disbursement(of: signedLoan("L2")).state
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.save(states: [waiting]) } }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.activate(states: [waiting, paid]) } }
        #expect(try loan(store, "L2")?.status == .signed)
        var unknown = waiting
        unknown.loanID = "L3"
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.activate(states: [unknown]) } }
        // A paid-out loan's state is saved with the status it names.
        var closed = Servicing.endOfDay(paid, asOf: day("2026-01-25"), terms: terms).state
        closed.status = .paidOff
        closed.closedOn = day("2026-01-25")
        try store.withServicingTransaction { try $0.save(states: [closed]) }
        #expect(try loan(store, "L1")?.status == .paidOff)
        #expect(try loan(store, "L1")?.state == closed)
    }

    @Test(arguments: StoreKind.allCases)
    func savingALineMovesItsLimitDrawnPrincipalAndFreezeButNotItsRate(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(agreement: agreement("A2", kind: .revolving), loan: nil, line: storedLine("A2")) }
        try store.withServicingTransaction { transaction throws in
            try transaction.save(line: CreditLine(lineID: "A2", limit: yuan("15000"), apr: AnnualRate(decimal: "0.3")!, drawnPrincipal: yuan("5000"),
                                                  frozen: true))
        }
        let line = try #require(try store.readServicing { try $0.line("A2") })
        #expect(line.line == CreditLine(lineID: "A2", limit: yuan("15000"), apr: AnnualRate(decimal: "0.144")!, drawnPrincipal: yuan("5000"), frozen: true))
        #expect(line.applicationID == "A2" && line.signedOn == day("2026-01-15"))
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { try $0.save(line: CreditLine(lineID: "nope", limit: yuan("1"), apr: .zero)) }
        }
        #expect(try store.readServicing { try $0.line("nope") } == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func aLinesDrawsAreListedInDrawOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(agreement: agreement("A2", kind: .revolving), loan: nil, line: storedLine("A2"))
            for loan in [signedLoan("D9", line: "A2"), signedLoan("L1"), signedLoan("D1", line: "A2", principal: "300")] {
                try transaction.insert(loan: loan)
            }
        }
        #expect(try store.readServicing { try $0.loans(ofLine: "A2") } == [signedLoan("D9", line: "A2"), signedLoan("D1", line: "A2", principal: "300")])
        #expect(try store.readServicing { try $0.loans(ofLine: "L1") }.isEmpty)
        var ids: [String] = []
        try store.forEachLoan { ids.append($0.loanID) }
        #expect(ids == ["D9", "L1", "D1"])
    }

    // MARK: Payouts

    @Test(arguments: StoreKind.allCases)
    func loansAwaitingPayoutAreReadInStoreOrderStrictlyAfterAPosition(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            for (id, signedOn) in [("L9", "2026-01-10"), ("L1", "2026-01-15"), ("L5", "2026-01-20"), ("L3", "2026-01-12"), ("L7", "2026-01-15"),
                                   ("L2", "2026-01-01")] {
                try transaction.insert(loan: signedLoan(id, signedOn: signedOn))
            }
            try transaction.activate(states: [try disbursement(of: signedLoan("L3", signedOn: "2026-01-12")).state])
        }
        let through = day("2026-01-15")
        try store.readServicing { transaction throws in
            let all = try transaction.loansAwaitingPayout(after: .start, through: through, limit: 100)
            #expect(all.map(\.loan.loanID) == ["L9", "L1", "L7", "L2"])
            #expect(all.map(\.loan) == [signedLoan("L9", signedOn: "2026-01-10"), signedLoan("L1"), signedLoan("L7"), signedLoan("L2", signedOn: "2026-01-01")])
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.position < $1.position })
            var batches: [[String]] = []
            var position = StorePosition.start
            while batches.count < 10 {  // bounded: a scan that is not strictly after its position would never end
                let batch = try transaction.loansAwaitingPayout(after: position, through: through, limit: 2)
                guard let last = batch.last else { break }
                batches.append(batch.map(\.loan.loanID))
                position = last.position
            }
            #expect(batches == [["L9", "L1"], ["L7", "L2"]])
            // Strictly after: a scan that continues from L1 starts at L7.
            #expect(try transaction.loansAwaitingPayout(after: all[1].position, through: through, limit: 1).map(\.loan.loanID) == ["L7"])
            #expect(try transaction.loansAwaitingPayout(after: .start, through: through, limit: 0).isEmpty)
            #expect(try transaction.loansAwaitingPayout(after: .start, through: day("2026-01-20"), limit: 100).count == 5)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLoanHasAtMostOnePayoutThatHasNotFailed(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(payouts: [payout("L1")]) }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(payouts: [payout("L1", attempt: 2)]) } }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(payouts: [payout("L1", status: .failed)]) } }
        let failed = payout("L1", status: .failed, settledOn: "2026-01-16")
        try store.withServicingTransaction { try $0.update(payouts: [failed]) }
        let retry = payout("L1", attempt: 2)
        try store.withServicingTransaction { try $0.insert(payouts: [retry]) }
        #expect(try store.readServicing { try $0.payouts(loanIDs: ["L1", "L2"]) } == ["L1": [failed, retry]])
        // Two new payouts of one loan in one batch: the second is refused, and the batch with it.
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(payouts: [payout("L2"), payout("L2", attempt: 2)]) } }
        #expect(try store.readServicing { try $0.payouts(loanIDs: ["L2"]) }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aPaidOrFailedPayoutIsFinal(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(payouts: [payout("L1"), payout("L2", status: .unknown)]) }
        let paid = payout("L1", status: .paid, settledOn: "2026-01-15")
        try store.withServicingTransaction { try $0.update(payouts: [paid, payout("L2", status: .failed, settledOn: "2026-01-17")]) }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.update(payouts: [payout("L1", status: .failed)]) } }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.update(payouts: [payout("L2", status: .paid)]) } }
        // The same status again, or a payout never stored, changes nothing and is not an error.
        try store.withServicingTransaction { try $0.update(payouts: [payout("L1", status: .paid, settledOn: "2026-02-01"), payout("L9", status: .paid)]) }
        let stored = try store.readServicing { try $0.payouts(loanIDs: ["L1", "L2", "L9"]) }
        #expect(stored["L1"] == [paid])
        #expect(stored["L2"]?.map(\.status) == [.failed])
        #expect(stored["L9"] == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func payoutsInFlightAreInKeyOrderAfterAKey(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(payouts: [payout("C"), payout("A", status: .paid, settledOn: "2026-01-15"), payout("B", status: .unknown), payout("D"),
                                             payout("E", status: .failed, settledOn: "2026-01-15")])
            try transaction.insert(payouts: [payout("E", attempt: 2)])
        }
        try store.readServicing { transaction throws in
            #expect(try transaction.payoutsInFlight(after: "", limit: 10).map(\.key) == ["B", "C", "D", "E#2"])
            #expect(try transaction.payoutsInFlight(after: "B", limit: 2).map(\.key) == ["C", "D"])
            #expect(try transaction.payoutsInFlight(after: "E#2", limit: 10).isEmpty)
            var grouped: [String: [Int]] = [:]
            try transaction.forEachLoanPayouts { loanID, payouts in
                #expect(grouped[loanID] == nil)
                grouped[loanID] = payouts.map(\.attempt)
            }
            #expect(grouped == ["A": [1], "B": [1], "C": [1], "D": [1], "E": [1, 2]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sealedPersonalDataIsReadForStoredApplications(_ kind: StoreKind) throws {
        let store = try kind.open()
        try storeApplications(store, [ApplicationSpec(id: "A"), ApplicationSpec(id: "B", minute: 1)])
        #expect(try store.readServicing { try $0.sealedPersonalData(applicationIDs: ["B", "X"]) } == ["B": Array("sealed B".utf8)])
    }

    // MARK: Refunds

    @Test(arguments: StoreKind.allCases)
    func refundsAreReadByLoanInNumberOrderAndScannedInKeyOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            for stored in [refund("L2", number: 2), refund("l3"), refund("L10"), refund("L2"), refund("L_9")] {
                try transaction.insert(refund: stored)
            }
        }
        try store.withServicingTransaction { try $0.insert(refund: refund("L1", fen: 1)) }
        let failed = refund("L2", number: 2, status: .failed, settledOn: "2026-03-03", reason: "card closed", returned: 9)
        try store.withServicingTransaction { try $0.update(refund: failed) }
        try store.readServicing { transaction throws in
            #expect(try transaction.refunds(loanID: "L2") == [refund("L2"), failed])
            #expect(try transaction.refunds(loanID: "L1") == [refund("L1", fen: 1)])
            #expect(try transaction.refunds(loanID: "L3").isEmpty)
            var scanned: [StoredRefund] = []
            try transaction.forEachRefund { scanned.append($0) }
            // Bytes, not a locale: "L1#" before "L10#", upper case before "_" before lower case.
            #expect(scanned.map(\.refund.key) == ["L1#R1", "L10#R1", "L2#R1", "L2#R2", "L_9#R1", "l3#R1"])
            #expect(scanned[3] == failed)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func refundsInFlightAreInKeyOrderAfterAKey(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            for loanID in ["E", "b", "A", "D", "C", "B10", "B"] { try transaction.insert(refund: refund(loanID)) }
        }
        try store.withServicingTransaction { transaction throws in
            try transaction.update(refund: refund("A", status: .paid, settledOn: "2026-03-02"))
            try transaction.update(refund: refund("D", status: .failed, settledOn: "2026-03-02", reason: "refused", returned: 11))
            try transaction.update(refund: refund("C", status: .unknown))
        }
        try store.readServicing { transaction throws in
            #expect(try transaction.refundsInFlight(after: "", limit: 10).map(\.refund.key) == ["B#R1", "B10#R1", "C#R1", "E#R1", "b#R1"])
            #expect(try transaction.refundsInFlight(after: "", limit: 10).map(\.refund.status) == [.sent, .sent, .unknown, .sent, .sent])
            // Strictly after the key, at most `limit`.
            #expect(try transaction.refundsInFlight(after: "B#R1", limit: 2).map(\.refund.key) == ["B10#R1", "C#R1"])
            #expect(try transaction.refundsInFlight(after: "C#R1", limit: 10).map(\.refund.key) == ["E#R1", "b#R1"])
            #expect(try transaction.refundsInFlight(after: "b#R1", limit: 10).isEmpty)
            #expect(try transaction.refundsInFlight(after: "", limit: 0).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRefundIsStoredOncePerKeyAndARefusedInsertStoresNothing(_ kind: StoreKind) throws {
        let store = try kind.open()
        // A duplicate in the transaction that stored the first: all of it rolls back.
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(refund: refund("L1"))
                try transaction.insert(refund: refund("L2"))
                try transaction.insert(refund: refund("L1", fen: 999, entry: 8))
            }
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") + $0.refunds(loanID: "L2") }.isEmpty)
        try store.withServicingTransaction { try $0.insert(refund: refund("L1")) }
        // The same loan and number again (the same key), with another new refund beside it.
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(refund: refund("L3"))
                try transaction.insert(refund: refund("L1", fen: 500, entry: 20))
            }
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [refund("L1")])
        #expect(try store.readServicing { try $0.refunds(loanID: "L3") }.isEmpty)
        #expect(throws: (any Error).self) { try store.readServicing { try $0.insert(refund: refund("L4")) } }
        #expect(try store.readServicing { try $0.refunds(loanID: "L4") }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aNewRefundIsSentWithAPositiveAmount(_ kind: StoreKind) throws {
        let store = try kind.open()
        let refused = [
            refund("L1", status: .paid, settledOn: "2026-03-02"), refund("L2", status: .unknown),
            refund("L3", status: .failed, settledOn: "2026-03-02", reason: "refused", returned: 9),
            refund("L4", fen: 0), refund("L5", fen: -100),
        ]
        for stored in refused {
            #expect(throws: (any Error).self, "\(stored.refund.key)") { try store.withServicingTransaction { try $0.insert(refund: stored) } }
        }
        var count = 0
        try store.readServicing { try $0.forEachRefund { _ in count += 1 } }
        #expect(count == 0)
        // Refused too: a sent refund with a return entry.
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(refund: refund("L6", returned: 9)) } }
        #expect(try store.readServicing { try $0.refunds(loanID: "L6") }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aRefundGoesFromSentToUnknownToPaid(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(refund: refund("L1")) }
        let unknown = refund("L1", status: .unknown)
        try store.withServicingTransaction { try $0.update(refund: unknown) }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [unknown])
        let paid = refund("L1", status: .paid, settledOn: "2026-03-04")
        try store.withServicingTransaction { try $0.update(refund: paid) }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [paid])
        // The same answer recorded again changes nothing and is not an error.
        try store.withServicingTransaction { try $0.update(refund: paid) }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [paid])
        #expect(try store.readServicing { try $0.refundsInFlight(after: "", limit: 10) }.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func aPaidOrFailedRefundIsFinal(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(refund: refund("L1"))
            try transaction.insert(refund: refund("L2"))
        }
        let paid = refund("L1", status: .paid, settledOn: "2026-03-02")
        let failed = refund("L2", status: .failed, settledOn: "2026-03-02", reason: "card closed", returned: 9)
        try store.withServicingTransaction { transaction throws in
            try transaction.update(refund: paid)
            try transaction.update(refund: failed)
        }
        let changes = [
            refund("L1", status: .failed, settledOn: "2026-03-03", reason: "late refusal", returned: 10),
            refund("L1", status: .paid, settledOn: "2026-03-05"), refund("L1", status: .unknown), refund("L1"),
            refund("L2", status: .paid, settledOn: "2026-03-03"), refund("L2", status: .failed, settledOn: "2026-03-02", reason: "other", returned: 9),
            refund("L2", status: .sent),
        ]
        for change in changes {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(refund: change) } }
        }
        // Recording a final answer again as it is stored is not a change.
        try store.withServicingTransaction { transaction throws in
            try transaction.update(refund: paid)
            try transaction.update(refund: failed)
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") + $0.refunds(loanID: "L2") } == [paid, failed])
    }

    @Test(arguments: StoreKind.allCases)
    func aReturnEntryGoesWithAFailedRefundOnly(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(refund: refund("L1")) }
        let refused = [
            refund("L1", status: .failed, settledOn: "2026-03-02", reason: "card closed"),
            refund("L1", status: .paid, settledOn: "2026-03-02", returned: 9), refund("L1", status: .unknown, returned: 9),
            refund("L1", returned: 9),
        ]
        for change in refused {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(refund: change) } }
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [refund("L1")])
    }

    // MARK: Suspense

    @Test(arguments: StoreKind.allCases)
    func suspenseReceiptsAreReadByIDAndScannedInByteOrder(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            for id in ["R2", "r1", "R10", "R_9"] { try transaction.insert(suspenseReceipt: receipt(id)) }
        }
        try store.withServicingTransaction { try $0.insert(suspenseReceipt: receipt("R1", fen: 1)) }
        try store.readServicing { transaction throws in
            #expect(try transaction.suspenseReceipt(receiptID: "R1") == receipt("R1", fen: 1))
            #expect(try transaction.suspenseReceipt(receiptID: "R3") == nil)
            var scanned: [String] = []
            try transaction.forEachSuspenseReceipt { scanned.append($0.receiptID) }
            #expect(scanned == ["R1", "R10", "R2", "R_9", "r1"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSuspenseReceiptIsStoredOnceHeldWithAPositiveAmount(_ kind: StoreKind) throws {
        let store = try kind.open()
        // A duplicate in the transaction that stored the first: all of it rolls back.
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(suspenseReceipt: receipt("R1"))
                try transaction.insert(suspenseReceipt: receipt("R2"))
                try transaction.insert(suspenseReceipt: receipt("R1", fen: 99))
            }
        }
        #expect(try store.readServicing { try $0.suspenseReceipt(receiptID: "R2") } == nil)
        let refused = [receipt("R3", fen: 0), receipt("R4", fen: -5), receipt("R5", loan: "L1", appliedOn: "2026-03-05", sequence: 9)]
        for stored in refused {
            #expect(throws: (any Error).self, "\(stored.receiptID)") { try store.withServicingTransaction { try $0.insert(suspenseReceipt: stored) } }
        }
        var count = 0
        try store.readServicing { try $0.forEachSuspenseReceipt { _ in count += 1 } }
        #expect(count == 0)
        #expect(throws: (any Error).self) { try store.readServicing { try $0.insert(suspenseReceipt: receipt("R6")) } }
    }

    @Test(arguments: StoreKind.allCases)
    func aSuspenseReceiptIsMovedOnceWithItsLoanDateAndEntryTogether(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(suspenseReceipt: receipt("R1")) }
        let halfMoves = [
            receipt("R1", loan: "L1"), receipt("R1", appliedOn: "2026-03-05"), receipt("R1", sequence: 9),
            receipt("R1", loan: "L1", appliedOn: "2026-03-05"), receipt("R1", loan: "L1", sequence: 9),
        ]
        for change in halfMoves {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(suspenseReceipt: change) } }
        }
        // Its identity never changes, moved or not.
        for change in [receipt("R1", fen: 1, loan: "L1", appliedOn: "2026-03-05", sequence: 9),
                       receipt("R1", entry: 8, loan: "L1", appliedOn: "2026-03-05", sequence: 9),
                       receipt("R1", on: "2026-03-01", loan: "L1", appliedOn: "2026-03-05", sequence: 9)] {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(suspenseReceipt: change) } }
        }
        #expect(try store.readServicing { try $0.suspenseReceipt(receiptID: "R1") } == receipt("R1"))
        let moved = receipt("R1", loan: "L1", appliedOn: "2026-03-05", sequence: 9)
        try store.withServicingTransaction { try $0.update(suspenseReceipt: moved) }
        // The same move again is not a change; any other is refused: a moved receipt is final.
        try store.withServicingTransaction { try $0.update(suspenseReceipt: moved) }
        for change in [receipt("R1"), receipt("R1", loan: "L2", appliedOn: "2026-03-05", sequence: 9),
                       receipt("R1", loan: "L1", appliedOn: "2026-03-06", sequence: 10)] {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(suspenseReceipt: change) } }
        }
        #expect(try store.readServicing { try $0.suspenseReceipt(receiptID: "R1") } == moved)
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.update(suspenseReceipt: receipt("R9")) } }
    }

    @Test(arguments: StoreKind.allCases)
    func aRefundKeepsItsAmountDateAndEntry(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(refund: refund("L1")) }
        var later = refund("L1", status: .unknown)
        later.refund.requestedOn = day("2026-03-09")
        let changes = [refund("L1", fen: 12_346, status: .unknown), refund("L1", fen: 12_346), refund("L1", status: .unknown, entry: 8), later]
        for change in changes {
            #expect(throws: (any Error).self, "\(change)") { try store.withServicingTransaction { try $0.update(refund: change) } }
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [refund("L1")])
    }

    @Test(arguments: StoreKind.allCases)
    func aRefundNeverStoredCannotBeUpdated(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { try $0.insert(refund: refund("L1")) }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.update(refund: refund("L9", status: .paid, settledOn: "2026-03-02")) } }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.update(refund: refund("L1", number: 2, status: .unknown)) } }
        // Refused with a change beside it: the change rolls back.
        #expect(throws: (any Error).self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.update(refund: refund("L1", status: .unknown))
                try transaction.update(refund: refund("L9"))
            }
        }
        #expect(try store.readServicing { try $0.refunds(loanID: "L1") } == [refund("L1")])
        #expect(try store.readServicing { try $0.refunds(loanID: "L9") }.isEmpty)
    }

    // MARK: Journal

    @Test(arguments: StoreKind.allCases)
    func theJournalAppendsOnlyEntriesThatContinueItsHead(_ kind: StoreKind) throws {
        let store = try kind.open()
        #expect(try store.readServicing { try $0.journalHead() } == .genesis)
        let posted = try store.withServicingTransaction { try $0.post([adjustment("adj-1"), adjustment("adj-2", fen: 250)]) }
        #expect(posted.map(\.sequence) == [1, 2])
        #expect(try store.readServicing { try $0.journalHead() } == posted[1].head)
        // Sealed after a head that has moved on: another writer got there first.
        let stale = try sealed([adjustment("adj-3")], after: .genesis)
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.append(stale) } }
        // An id already in the journal.
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.post([adjustment("adj-1")]) } }
        #expect(try store.readServicing { try $0.journalHead() } == posted[1].head)
        var rows: [SealedEntry] = []
        let postings = try store.forEachJournalRow { rows.append($0) }
        #expect(rows == posted)
        #expect(postings == 4)
        #expect(JournalChain.verify(rows, expectedHead: try store.readServicing { try $0.journalHead() }) == nil)
        // Nothing to append changes nothing.
        try store.withServicingTransaction { try $0.append([]) }
        #expect(try journal(store).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchThatBreaksTheChainInsideIsRefused(_ kind: StoreKind) throws {
        let store = try kind.open()
        let entries = try sealed([adjustment("a"), adjustment("b"), adjustment("c")], after: .genesis)
        try expecting(.journalBatchIsCheckedOnlyAtItsStart, of: kind) { () throws in
            // A gap (b left out), then a row linked to the wrong hash.
            #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.append([entries[0], entries[2]]) } }
            var unlinked = entries[1]
            unlinked.previousHash = entries[2].hash
            #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.append([entries[0], unlinked]) } }
            #expect(try store.readServicing { try $0.journalHead() } == .genesis)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aThrownErrorRollsBackLoansPayoutsLinesAndTheJournal(_ kind: StoreKind) throws {
        let store = try kind.open()
        try payOut(store, [signedLoan("L0")])
        let head = try store.readServicing { try $0.journalHead() }
        #expect(throws: Refused.self) {
            try store.withServicingTransaction { transaction throws in
                try transaction.insert(agreement: agreement("A2", kind: .revolving), loan: nil, line: storedLine("A2"))
                try transaction.insert(loan: signedLoan("L1"))
                try transaction.insert(payouts: [payout("L1")])
                try transaction.insert(repayment: repayment("P1", loan: "L0"))
                try transaction.insert(draw: StoredDraw(drawID: "D1", lineID: "A2", amount: yuan("100"), termMonths: 3, requestedOn: day("2026-01-16"),
                                                        requestHash: Array(repeating: 2, count: 32)))
                try transaction.post([adjustment("adj-lost")])
                #expect(try transaction.journalHead().sequence == head.sequence + 1)
                throw Refused()
            }
        }
        try store.readServicing { transaction throws in
            #expect(try transaction.journalHead() == head)
            #expect(try transaction.agreement(applicationID: "A2") == nil && transaction.line("A2") == nil)
            #expect(try transaction.loans(["L1"]).isEmpty && transaction.payouts(loanIDs: ["L1"]).isEmpty)
            #expect(try transaction.repayment(paymentID: "P1") == nil && transaction.draw(drawID: "D1") == nil)
        }
        #expect(try journal(store).count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentPostsTakeTurnsAndKeepOneChain(_ kind: StoreKind) throws {
        let store = try kind.open()
        let failures = ErrorLog()
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for index in 0..<5 {
                do {
                    try store.withServicingTransaction { transaction in
                        let head = try transaction.journalHead()
                        usleep(500)  // widens the window between reading the head and writing after it
                        try transaction.append(try sealed([adjustment("w\(writer)-\(index)")], after: head))
                    }
                } catch {
                    failures.add(error)
                }
            }
        }
        #expect(failures.all.isEmpty)
        let rows = try journal(store)
        #expect(rows.count == 40)
        #expect(JournalChain.verify(rows, expectedHead: try store.readServicing { try $0.journalHead() }) == nil)
    }

    // MARK: Repayments and draws

    @Test(arguments: StoreKind.allCases)
    func repaymentsAndDrawsAreStoredOnceByID(_ kind: StoreKind) throws {
        let store = try kind.open()
        let draw = StoredDraw(drawID: "D1", lineID: "A2", amount: yuan("100"), termMonths: 3, requestedOn: day("2026-01-16"),
                              requestHash: Array(repeating: 2, count: 32))
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(repayment: repayment("P1", loan: "L1"))
            try transaction.insert(draw: draw)
        }
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(repayment: repayment("P1", loan: "L1", fen: 1)) } }
        var other = draw
        other.amount = yuan("999")
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.insert(draw: other) } }
        try store.readServicing { transaction throws in
            #expect(try transaction.repayment(paymentID: "P1") == repayment("P1", loan: "L1"))
            #expect(try transaction.draw(drawID: "D1") == draw)
            #expect(try transaction.repayment(paymentID: "P2") == nil && transaction.draw(drawID: "D2") == nil)
        }
    }

    // MARK: End of day

    @Test(arguments: StoreKind.allCases)
    func activeLoansAreReadInBatchesStrictlyAfterAPosition(_ kind: StoreKind) throws {
        let store = try kind.open()
        var states = try payOut(store, [signedLoan("L4"), signedLoan("L2")])
        try store.withServicingTransaction { try $0.insert(loan: signedLoan("L5")) }
        states += try payOut(store, [signedLoan("L8"), signedLoan("L6")])
        let processed = Servicing.endOfDay(states[2], asOf: day("2026-01-20"), terms: terms).state
        var paidOff = states[3]
        paidOff.status = .paidOff
        paidOff.closedOn = day("2026-01-16")
        try store.withServicingTransaction { try $0.save(states: [processed, paidOff]) }
        try store.readServicing { transaction throws in
            var rows = DailyLoanRows()
            var batches: [Int] = []
            var position = StorePosition.start
            while batches.count < 10 {
                let before = rows.count
                try transaction.activeLoans(after: position, notProcessedThrough: day("2026-01-20"), limit: 1, into: &rows)
                guard rows.count > before, let last = rows.positions.last else { break }
                batches.append(rows.count - before)
                position = last
            }
            // Rows are appended, not replaced: the caller clears them between batches.
            #expect(batches == [1, 1] && rows.count == 2)
            #expect(rows.products == ["installment", "installment"])
            let read = try zip(rows.records, rows.daily).map { try LoanStateCoding.join(record: $0, daily: $1) }
            #expect(read == [states[0], states[1]])
            #expect(rows.positions[0] < rows.positions[1])
            rows.removeAll()
            try transaction.activeLoans(after: .start, notProcessedThrough: day("2026-01-21"), limit: 10, into: &rows)
            #expect(try rows.records.indices.map { try LoanStateCoding.join(record: rows.records[$0], daily: rows.daily[$0]).loanID } == ["L4", "L2", "L8"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endOfDayWritesDailyFieldsRecordsStatusesLineRestoresAndEntries(_ kind: StoreKind) throws {
        let store = try kind.open()
        try store.withServicingTransaction { transaction throws in
            try transaction.insert(agreement: agreement("A2", kind: .revolving), loan: nil, line: storedLine("A2"))
            try transaction.insert(agreement: agreement("A3", kind: .revolving), loan: nil, line: storedLine("A3"))
            try transaction.save(line: CreditLine(lineID: "A2", limit: yuan("20000"), apr: .zero, drawnPrincipal: yuan("3000")))
            try transaction.save(line: CreditLine(lineID: "A3", limit: yuan("20000"), apr: .zero, drawnPrincipal: yuan("500")))
        }
        try payOut(store, [signedLoan("D1", line: "A2", principal: "3000"), signedLoan("L1")])
        let asOf = day("2026-01-20")
        let (updates, entries, expected) = try store.readServicing { transaction throws in
            var rows = DailyLoanRows()
            try transaction.activeLoans(after: .start, notProcessedThrough: asOf, limit: 10, into: &rows)
            var updates = DailyLoanUpdates()
            var entries: [JournalEntry] = []
            var expected: [String: LoanState] = [:]
            for index in 0..<rows.count {
                var state = Servicing.endOfDay(try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index]), asOf: asOf, terms: terms).state
                entries += Servicing.endOfDay(try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index]), asOf: asOf, terms: terms).entries
                var status: StoredLoan.Status?
                if state.loanID == "L1" {
                    state.status = .paidOff
                    state.closedOn = asOf
                    status = .paidOff
                }
                let (record, daily) = LoanStateCoding.split(state)
                updates.positions.append(rows.positions[index])
                updates.daily.append(daily)
                updates.records.append(record == rows.records[index] ? nil : record)
                updates.statuses.append(status)
                expected[state.loanID] = state
            }
            updates.lineRestores = ["A2": yuan("1000"), "A3": yuan("800"), "nope": yuan("1")]
            return (updates, try sealed(entries, after: try transaction.journalHead()), expected)
        }
        #expect(updates.records.map { $0 == nil } == [true, false])
        #expect(entries.count == 10)
        try store.withServicingTransaction { try $0.saveEndOfDay(updates, entries: entries) }
        try store.readServicing { transaction throws in
            let loans = try transaction.loans(["D1", "L1"])
            #expect(loans["D1"]?.state == expected["D1"] && loans["D1"]?.status == .active)
            #expect(loans["L1"]?.state == expected["L1"] && loans["L1"]?.status == .paidOff)
            #expect(try transaction.line("A2")?.line.drawnPrincipal == yuan("2000"))
            #expect(try transaction.line("A3")?.line.drawnPrincipal == .zero)
            #expect(try transaction.journalHead() == entries.last?.head)
            var rows = DailyLoanRows()
            try transaction.activeLoans(after: .start, notProcessedThrough: asOf.adding(days: 1), limit: 10, into: &rows)
            #expect(rows.count == 1 && rows.daily.first?.processedThrough == asOf)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func endOfDayWhoseEntriesDoNotContinueTheJournalWritesNothing(_ kind: StoreKind) throws {
        let store = try kind.open()
        let states = try payOut(store, [signedLoan("L1")])
        let head = try store.readServicing { try $0.journalHead() }
        let result = Servicing.endOfDay(states[0], asOf: day("2026-01-20"), terms: terms)
        var rows = DailyLoanRows()
        try store.readServicing { try $0.activeLoans(after: .start, notProcessedThrough: day("2026-01-20"), limit: 10, into: &rows) }
        var updates = DailyLoanUpdates()
        updates.positions = rows.positions
        updates.daily = [LoanStateCoding.split(result.state).daily]
        updates.records = [nil]
        updates.statuses = [nil]
        let stale = try sealed(result.entries, after: .genesis)
        #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.saveEndOfDay(updates, entries: stale) } }
        #expect(try loan(store, "L1")?.state == states[0])
        #expect(try store.readServicing { try $0.journalHead() } == head)
    }

    @Test(arguments: StoreKind.allCases)
    func endOfDayRefusesAPositionTheStoreDidNotGiveOut(_ kind: StoreKind) throws {
        let store = try kind.open()
        let states = try payOut(store, [signedLoan("L1")])
        var updates = DailyLoanUpdates()
        updates.positions = [StorePosition(rawValue: 1_000)]
        updates.daily = [LoanStateCoding.split(states[0]).daily]
        updates.records = [nil]
        updates.statuses = [nil]
        try expecting(.endOfDayAcceptsUnknownPositions, of: kind) { () throws in
            #expect(throws: (any Error).self) { try store.withServicingTransaction { try $0.saveEndOfDay(updates, entries: []) } }
        }
        #expect(try loan(store, "L1")?.state == states[0])
    }

    // MARK: Snapshots

    @Test(arguments: StoreKind.allCases)
    func aReadIsOneSnapshotWhileAWriteCommits(_ kind: StoreKind) throws {
        let store = try kind.open()
        try payOut(store, [signedLoan("L1")])
        let written = DispatchSemaphore(value: 0)
        let failures = ErrorLog()
        var committedDuringTheRead = false
        try store.readServicing { transaction throws in
            let head = try transaction.journalHead()
            DispatchQueue.global().async {
                do {
                    try store.withServicingTransaction { transaction throws in
                        try transaction.post([adjustment("during")])
                        try transaction.insert(loan: signedLoan("L2"))
                    }
                } catch {
                    failures.add(error)
                }
                written.signal()
            }
            // SQLite's in-memory database serialises reads and writes: its write waits for this read.
            committedDuringTheRead = !kind.readsBlockWriters && written.wait(timeout: .now() + 10) == .success
            #expect(try transaction.journalHead() == head)
            #expect(try transaction.loans(["L2"]).isEmpty)
            var loans = 0
            try transaction.forEachLoan { _ in loans += 1 }
            #expect(loans == 1)
        }
        if !committedDuringTheRead { written.wait() }
        #expect(committedDuringTheRead == !kind.readsBlockWriters)
        #expect(failures.all.isEmpty)
        #expect(try loan(store, "L2") != nil)
        #expect(try journal(store).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func aReadSnapshotRefusesWrites(_ kind: StoreKind) throws {
        let store = try kind.open()
        #expect(throws: (any Error).self) { try store.readServicing { try $0.insert(loan: signedLoan("L1")) } }
        #expect(throws: (any Error).self) { try store.readServicing { try $0.post([adjustment("adj")]) } }
        #expect(throws: (any Error).self) { try store.readCollections { try $0.insert(run: PostLoanRunRecord(day: day("2026-01-20"))) } }
        #expect(try loan(store, "L1") == nil)
        #expect(try store.readServicing { try $0.journalHead() } == .genesis)
    }
}

/// Refund `number` of `loanID` as stored: approved on 2026-03-02 with its entry at sequence
/// `entry`, and once refused the return entry at `returned`.
private func refund(_ loanID: String, number: Int = 1, fen: Int64 = 12_345, status: PayoutStatus = .sent, settledOn: String? = nil,
                    reason: String? = nil, entry: Int64 = 7, returned: Int64? = nil) -> StoredRefund {
    StoredRefund(refund: Refund(loanID: loanID, number: number, amount: Money(fen: fen), status: status, requestedOn: day("2026-03-02"),
                                settledOn: settledOn.map(day), reason: reason),
                 entrySequence: entry, returnSequence: returned)
}

/// Receipt `id` as stored: received on 2026-03-02 (or `on`) with its entry at sequence `entry`,
/// and once moved the loan, the date and the move's entry.
private func receipt(_ id: String, fen: Int64 = 50_000, on: String = "2026-03-02", entry: Int64 = 7, loan: String? = nil,
                     appliedOn: String? = nil, sequence: Int64? = nil) -> StoredSuspenseReceipt {
    StoredSuspenseReceipt(receiptID: id, receivedOn: day(on), amount: Money(fen: fen), entrySequence: entry, loanID: loan,
                          appliedOn: appliedOn.map(day), applySequence: sequence)
}
