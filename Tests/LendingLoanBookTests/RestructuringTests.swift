import Foundation
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import Testing
import LendingLoanBook

/// Restructurings: the worked examples of docs/servicing.md ("Restructuring"), computed there by
/// hand (exact fractions, half to even) and checked here; maker-checker; the ledger after.
@Suite(.serialized) struct RestructuringTests {
    static let time = Instant(iso: "2026-02-16T09:00:00+08:00")!

    /// The worked loan: 10 000.00 at 18.25%, 3 months, disbursed 2026-01-15, installment 1
    /// (3 435.23) paid on its due date 2026-02-15; 6 719.77 of principal not yet due.
    func workedLoan() throws -> InMemoryStore {
        let (store, _) = try bookWithLoans(1)
        _ = try repay(store, try csvFile("restructure-worked", ["payment_id,loan_id,paid_at,amount", "P1,L0,2026-02-15,3435.23"]))
        return store
    }

    func restructure(_ store: InMemoryStore, _ change: Restructuring) throws -> LoanState {
        let desk = RestructuringDesk(products: .standard)
        return try store.withServicingTransaction { transaction in
            let request = try desk.request(loanID: "L0", change: change, reason: "hardship: lost job", by: "maker", at: RestructuringTests.time, in: transaction)
            return try desk.approve(requestID: request.requestID, by: "checker", at: RestructuringTests.time, in: transaction).1
        }
    }

    func rows(_ state: LoanState, from first: Int) -> [String] {
        state.installments[first...].map { "\($0.number) \($0.dueDate) \($0.principalDue) \($0.interestDue)" }
    }

    @Test func aRescheduleToSixInstallmentsMatchesTheWorkedExample() throws {
        let store = try workedLoan()
        let state = try restructure(store, .reschedule(months: 6))
        #expect(state.installments.count == 7 && state.outstandingPrincipal == Money(yuan: "6719.77")!)
        #expect(rows(state, from: 1) == [
            "2 2026-03-15 1086.25 94.08", "3 2026-04-15 1093.01 87.32", "4 2026-05-15 1112.22 68.11",
            "5 2026-06-15 1127.19 53.14", "6 2026-07-15 1145.81 34.52", "7 2026-08-15 1155.29 17.91",
        ])
        #expect(state.installments[0].isSettled)
        // End of day on to maturity accrues exactly the new plan's interest (nothing is paid, so
        // from 90 days past due part of it is memo interest).
        _ = try endOfDay(store, "2026-08-15")
        let matured = try #require(try loan(store, "L0")?.state)
        #expect(matured.interestReceivable + matured.memoInterest == Money(yuan: "355.08")!)
        #expect(matured.installments[1...].reduce(Money.zero) { $0 + $1.interestAccrued } == Money(yuan: "355.08")!)
        #expect(try verify(store).holds)
    }

    /// docs/servicing.md's pause example: installment 2 (due 2026-03-15) unpaid, 10 days past due
    /// on 2026-03-25, paused for 30 days (2026-03-26 through 2026-04-24).
    @Test func aHardshipPauseStopsAgeingAndAgeingGoesOnAfterIt() throws {
        let store = try workedLoan()
        _ = try endOfDay(store, "2026-03-25")
        let before = try #require(try loan(store, "L0")?.state)
        #expect(before.daysPastDue == 10 && before.bucket == "4-15")
        let paused = try restructure(store, .pause(days: 30))
        #expect(paused.agingPauses == [AgingPause(from: CalendarDay(iso: "2026-03-26")!, through: CalendarDay(iso: "2026-04-24")!)])
        #expect(paused.installments == before.installments, "a pause changes no schedule")
        _ = try endOfDay(store, "2026-04-24")
        let during = try #require(try loan(store, "L0")?.state)
        #expect(during.daysPastDue == 10 && during.bucket == "4-15", "ageing stands still through the pause")
        #expect(during.interestReceivable > before.interestReceivable && during.penaltyReceivable > before.penaltyReceivable,
                "interest and penalty accrue")
        _ = try endOfDay(store, "2026-04-30")
        let after = try #require(try loan(store, "L0")?.state)
        // 46 days after 2026-03-15, less the 30 of the pause.
        #expect(after.daysPastDue == 16 && after.bucket == "16-30", "31-60 without the pause")
        // A pause cannot start inside another one; one after it can.
        do {
            _ = try restructure(store, .pause(days: 10))
        } catch let error as ServicingRequestError {
            Issue.record("a pause after the first one was refused: \(error.message)")
        }
        #expect(throws: ServicingRequestError.self) { _ = try restructure(store, .pause(days: 5)) }
        #expect(throws: ServicingRequestError.self) { _ = try restructure(store, .pause(days: 181)) }
        #expect(try verify(store).holds)
    }

    @Test func aTwoInstallmentHolidayMatchesTheWorkedExample() throws {
        let store = try workedLoan()
        let state = try restructure(store, .holiday(installments: 2))
        #expect(rows(state, from: 1) == ["2 2026-05-15 3137.70 299.03", "3 2026-06-15 3582.07 55.52"])
        // Nothing falls due in March and April: the loan stays current.
        _ = try endOfDay(store, "2026-04-30")
        let onHoliday = try #require(try loan(store, "L0")?.state)
        #expect(onHoliday.daysPastDue == 0 && onHoliday.nextDueIndex == 1)
        _ = try endOfDay(store, "2026-05-20")
        #expect(try loan(store, "L0")?.state?.daysPastDue == 5)
        #expect(try verify(store).holds)
    }

    @Test func arrearsStayDueAndTheMakerCannotApprove() throws {
        let (store, _) = try bookWithLoans(1)
        _ = try endOfDay(store, "2026-02-20")
        let desk = RestructuringDesk(products: .standard)
        let request = try store.withServicingTransaction {
            try desk.request(loanID: "L0", change: .reschedule(months: 12), reason: "hardship", by: "Li Lei", at: RestructuringTests.time, in: $0)
        }
        #expect(request.requestID == "restructure:L0:1")
        do {
            _ = try store.withServicingTransaction { try desk.approve(requestID: request.requestID, by: "LI LEI", at: RestructuringTests.time, in: $0) }
            Issue.record("the maker approved their own restructuring")
        } catch let error as ServicingRequestError {
            #expect(error.code == "restructure.same_person")
        }
        let (_, state) = try store.withServicingTransaction { try desk.approve(requestID: request.requestID, by: "Han Meimei", at: RestructuringTests.time, in: $0) }
        // Installment 1 (due 2026-02-15) stays due: 5 days past due, and 12 new installments follow it.
        #expect(state.daysPastDue == 5 && state.installments.count == 13 && state.installments[0].principalUnpaid.fen > 0)
        #expect(state.installments[1].dueDate == CalendarDay(iso: "2026-03-15")! && state.installments[12].dueDate == CalendarDay(iso: "2027-02-15")!)
        for (change, code) in [(Restructuring.holiday(installments: 13), "restructure.invalid"), (.reschedule(months: 0), "restructure.invalid")] {
            do {
                _ = try store.withServicingTransaction { try desk.request(loanID: "L0", change: change, reason: "x", by: "a", at: RestructuringTests.time, in: $0) }
                Issue.record("\(change) was accepted")
            } catch let error as ServicingRequestError {
                #expect(error.code == code)
            }
        }
        #expect(try verify(store).holds)
    }

    @Test func aPaymentReversedAfterARestructuringIsReplayedAroundIt() throws {
        let store = try workedLoan()
        _ = try endOfDay(store, "2026-02-20")
        _ = try repay(store, try csvFile("restructure-wrong", ["payment_id,loan_id,paid_at,amount", "WRONG,L0,2026-02-21,1500.00"]))
        _ = try restructure(store, .holiday(installments: 1))
        _ = try endOfDay(store, "2026-03-01")
        let desk = ReversalDesk(products: .standard)
        try store.withServicingTransaction { transaction in
            _ = try desk.request(paymentID: "WRONG", reason: "wrong loan", by: "maker", at: RestructuringTests.time, in: transaction)
            _ = try desk.approve(paymentID: "WRONG", by: "checker", at: RestructuringTests.time, in: transaction)
        }
        // The same book without the wrong payment.
        let other = try workedLoan()
        _ = try endOfDay(other, "2026-02-20")
        _ = try endOfDay(other, "2026-02-21")
        _ = try restructure(other, .holiday(installments: 1))
        _ = try endOfDay(other, "2026-03-01")
        _ = try endOfDay(store, "2026-03-02")
        _ = try endOfDay(other, "2026-03-02")
        #expect(try loan(store, "L0")?.state == loan(other, "L0")?.state)
        #expect(try verify(store).holds)
    }
}
