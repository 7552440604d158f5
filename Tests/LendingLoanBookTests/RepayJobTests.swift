import Foundation
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import Testing
import LendingLoanBook

@Suite(.serialized) struct RepayJobTests {
    let header = "payment_id,loan_id,paid_at,amount"

    @Test func aPaymentOnTheDueDateSettlesTheWorkedExamplesFirstInstallment() throws {
        let (store, _) = try bookWithLoans(1)
        let summary = try repay(store, try csvFile("due", [header, "P1,L0,2026-02-15,3435.23"]))
        #expect(summary.applied == 1 && summary.amount == Money(yuan: "3435.23")!)
        let stored = try #require(try store.readServicing { try $0.repayment(paymentID: "P1") })
        #expect(stored.interest == Money(yuan: "155.00")! && stored.principal == Money(yuan: "3280.23")!)
        #expect(stored.penalty == .zero && stored.overpayment == .zero)
        let state = try #require(try loan(store, "L0")?.state)
        #expect(state.outstandingPrincipal == Money(yuan: "6719.77")!)
        #expect(state.installments[0].isSettled && state.firstUnsettledIndex == 1)
        #expect(state.processedThrough == CalendarDay(iso: "2026-02-15")!)
        let entries = try journal(store)
        // The disbursement, 31 daily accruals (Jan 16 to Feb 15) caught up, then the payment.
        #expect(entries.count == 33)
        #expect(entries.last?.entry.id == "repay:P1" && entries.last?.sequence == stored.entrySequence)
        #expect(try verify(store).holds)
    }

    @Test func repeatingAPaymentRowChangesNothing() throws {
        let (store, _) = try bookWithLoans(1)
        let file = try csvFile("repeat", [header, "P1,L0,2026-01-20,500.00", "P1,L0,2026-01-20,500.00"])
        let first = try repay(store, file)
        #expect(first.applied == 1 && first.repeated == 1)
        let entries = try journal(store).count
        let state = try loan(store, "L0")
        let again = try repay(store, file)
        #expect(again.applied == 0 && again.repeated == 2)
        #expect(try journal(store).count == entries)
        #expect(try loan(store, "L0") == state)
    }

    @Test func theSameIDWithAnotherAmountIsAnErrorNamingBothAmounts() throws {
        let (store, _) = try bookWithLoans(1)
        _ = try repay(store, try csvFile("first", [header, "P1,L0,2026-01-20,500.00"]))
        let entries = try journal(store).count
        let file = try csvFile("conflict", [header, "P2,L0,2026-01-21,10.00", "P1,L0,2026-01-20,600.00"])
        do {
            _ = try repay(store, file)
            Issue.record("a conflicting payment was applied")
        } catch let error as LendingError {
            #expect(error.description == "\(file):3:18: payment P1 was already applied as 500.00 to loan L0 on 2026-01-20; this row says 600.00 to loan L0 on 2026-01-20: a payment id is applied once, give a new payment a new id; nothing was stored: fix the row and run again, or pass --rejects FILE to set such rows aside")
        }
        #expect(try journal(store).count == entries)
        #expect(try store.readServicing { try $0.repayment(paymentID: "P2") } == nil)
    }

    @Test func unknownLoansAndBadRowsGoToTheRejectsFile() throws {
        let (store, _) = try bookWithLoans(1)
        let file = try csvFile("rejects", [header, "P1,L0,2026-01-20,500.00", "P2,NOPE,2026-01-20,5.00", "P3,L0,2026-01-20,12.345", "P4,L0,20-01-2026,1.00"])
        let rejects = scratchPath("rejects-out.csv")
        let summary = try repay(store, file, rejects: rejects)
        #expect(summary.rows == 4 && summary.applied == 1 && summary.rejected == 3)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == #"""
            line,column,reason,raw
            3,4,loan NOPE is not known; check the loan id,"P2,NOPE,2026-01-20,5.00"
            4,18,"""amount"" is ""12.345"", not a positive amount in yuan such as 120.50","P3,L0,2026-01-20,12.345"
            5,7,"""paid_at"" is ""20-01-2026"", not a date YYYY-MM-DD","P4,L0,20-01-2026,1.00"

            """#)
        #expect(try verify(store).holds)
    }

    @Test func withoutARejectsFileABadRowStoresNothing() throws {
        let (store, _) = try bookWithLoans(1)
        let before = try journal(store).count
        #expect(throws: LendingError.self) { try repay(store, try csvFile("stop", [header, "P1,L0,2026-01-20,500.00", "P2,NOPE,2026-01-20,5.00"])) }
        #expect(try journal(store).count == before)
        #expect(try store.readServicing { try $0.repayment(paymentID: "P1") } == nil)
    }

    @Test func aLoanNotYetPaidOutOrAlreadyRunPastThePaymentDateTakesNoPayment() throws {
        let (store, _) = try bookWithLoans(2, pay: false)
        // As before the move, the rejects file is the path of the first input file.
        let rejects = scratchPath("not-paid.csv")
        #expect(try repay(store, try csvFile("not-paid", [header, "P1,L0,2026-01-20,5.00"]), rejects: rejects).rejected == 1)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains("loan L0 has not been paid out yet"))
        let (paid, _) = try bookWithLoans(1)
        try endOfDay(paid, "2026-01-25")
        #expect(try repay(paid, try csvFile("backdated", [header, "P1,L0,2026-01-20,5.00"]), rejects: rejects).rejected == 1)
        #expect(try String(contentsOfFile: rejects, encoding: .utf8).contains("apply payments before running end of day for their date"))
    }

    @Test func aPaymentBeyondTheDebtIsHeldAsOverpaymentAndClosesTheLoan() throws {
        let (store, _) = try bookWithLoans(1)
        _ = try repay(store, try csvFile("payoff", [header, "P1,L0,2026-01-25,10100.00"]))
        let state = try #require(try loan(store, "L0")?.state)
        // Ten days of interest at 5.00 a day, then the principal; the rest is held.
        #expect(state.status == .paidOff && state.overpayment == Money(yuan: "50.00")!)
        #expect(try loan(store, "L0")?.status == .paidOff)
        #expect(try endOfDay(store, "2026-02-25").loans == 0)
        #expect(try verify(store).holds)
    }
}
