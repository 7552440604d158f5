import Foundation
import LendingDisbursement
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Testing
import LendingLoanBook

/// Refunds of overpayment (``RefundDesk``, ``RefundJob``): maker-checker, the money out at the
/// approval, through the rail at most once whatever fails, back to the loan when refused, and
/// replayed in their place by a reversal.
@Suite struct RefundTests {
    static let time = Instant(iso: "2026-01-25T09:00:00+08:00")!
    static let day = CalendarDay(iso: "2026-01-25")!

    /// A book whose L0 was paid 12,000.00 on 2026-01-20: its 10,000.00 and the interest of five
    /// days settled, the rest held for the borrower; L1 untouched.
    static func overpaidBook() throws -> (InMemoryStore, MemoryRail, Money) {
        let (store, rail) = try bookWithLoans(2)
        try ReversalTests.post([Payment(id: "P1", loanID: "L0", date: CalendarDay(iso: "2026-01-20")!, amount: Money(yuan: "12000")!)], store, .standard)
        let state = try #require(try loan(store, "L0")?.state)
        #expect(state.status == .paidOff && state.overpayment.fen > 0)
        return (store, rail, state.overpayment)
    }

    static func approve(_ store: InMemoryStore, loan: String = "L0", amount: Money? = nil, products: ProductCatalog = .standard,
                        on day: CalendarDay = RefundTests.day) throws -> StoredRefund {
        let desk = RefundDesk(products: products)
        return try store.withServicingTransaction { transaction in
            let request = try desk.request(loanID: loan, amount: amount, reason: "overpaid", by: "Li Lei", at: time, in: transaction)
            return try desk.approve(requestID: request.requestID, by: "Han Meimei", at: time, on: day, in: transaction).1
        }
    }

    static func pay(_ store: InMemoryStore, _ rail: any PaymentRail, on day: String = "2026-01-26") throws -> RefundJob.Summary {
        try RefundJob(asOf: CalendarDay(iso: day)!, products: .standard, protector: servicingProtector, batchSize: 2).run(store: store, rail: rail)
    }

    @Test func anApprovedRefundLeavesTheLoanAtOnceAndTheRailPaysItOnce() throws {
        let (store, rail, held) = try RefundTests.overpaidBook()
        // docs/servicing.md's worked example: 12,000.00 − (10,000.00 + 25.00 of interest for 5 days).
        #expect(held == Money(yuan: "1975.00")!)
        let desk = RefundDesk(products: .standard)
        let request = try store.withServicingTransaction {
            try desk.request(loanID: "L0", amount: nil, reason: "overpaid the last installment", by: "Li Lei", at: RefundTests.time, in: $0)
        }
        #expect(request.requestID == "refund:L0:1" && request.kind == "refund" && request.status == .pending)
        let before = try journal(store).count
        do {
            _ = try store.withServicingTransaction { try desk.approve(requestID: "refund:L0:1", by: "LI LEI", at: RefundTests.time, on: RefundTests.day, in: $0) }
            Issue.record("the maker approved their own refund")
        } catch let error as ServicingRequestError {
            #expect(error.code == "refund.same_person")
        }
        #expect(try journal(store).count == before && loan(store, "L0")?.state?.overpayment == held)

        let (approved, stored) = try store.withServicingTransaction {
            try desk.approve(requestID: "refund:L0:1", by: "Han Meimei", at: RefundTests.time, on: RefundTests.day, in: $0)
        }
        #expect(approved.status == .approved)
        #expect(stored.refund.key == "L0#R1" && stored.refund.status == .sent && stored.refund.amount == held)
        #expect(stored.refund.requestedOn == RefundTests.day, "a closed loan's refund is dated the business date")
        #expect(try loan(store, "L0")?.state?.overpayment == .zero)
        let entry = try #require(try journal(store).last?.entry)
        #expect(entry.id == "refund:L0#R1" && entry.date == RefundTests.day && entry.kind == .adjustment)
        #expect(entry.postings == [.debit(AccountID(loan: "L0", .overpayment), held), .credit(.fundingCash, held)])
        let verified = try verify(store)
        #expect(verified.holds && verified.refunds == 1, "\(verified.problems)")
        #expect(rail.list().allSatisfy { $0.key != "L0#R1" }, "approval does not call the rail")

        let summary = try RefundTests.pay(store, rail)
        #expect(summary.inFlight == 1 && summary.sent == 1 && summary.paid == 1 && summary.failed == 0)
        #expect(try store.readServicing { try $0.refunds(loanID: "L0") }.map(\.refund.status) == [.paid])
        #expect(rail.list().filter { $0.key == "L0#R1" }.map(\.amount) == [held])
        // Nothing is in flight any more: a second run asks nothing and pays nothing.
        let again = try RefundTests.pay(store, rail)
        #expect(again.inFlight == 0 && again.sent == 0)
        #expect(rail.list().filter { $0.key == "L0#R1" }.count == 1)
        #expect(try verify(store).holds)
    }

    @Test func aRefundTheRailRefusesGivesTheMoneyBackAndANewRequestIsTheNextNumber() throws {
        let (store, rail, held) = try RefundTests.overpaidBook()
        let part = Money(yuan: "100.00")!
        _ = try RefundTests.approve(store, amount: part)
        #expect(try loan(store, "L0")?.state?.overpayment == held - part)
        let summary = try RefundTests.pay(store, reopen(rail, fail: 1))
        #expect(summary.failed == 1 && summary.paid == 0)
        let refund = try #require(try store.readServicing { try $0.refunds(loanID: "L0") }.first)
        #expect(refund.refund.status == .failed && refund.returnSequence != nil && refund.refund.settledOn == CalendarDay(iso: "2026-01-26")!)
        #expect(try loan(store, "L0")?.state?.overpayment == held)
        let returned = try #require(try journal(store).last?.entry)
        #expect(returned.id == "refund-return:L0#R1")
        #expect(returned.postings == [.debit(.fundingCash, part), .credit(AccountID(loan: "L0", .overpayment), part)])
        #expect(try verify(store).holds)
        let second = try RefundTests.approve(store)
        #expect(second.refund.key == "L0#R2" && second.refund.amount == held)
        #expect(try RefundTests.pay(store, rail).paid == 1)
        #expect(try verify(store).holds && loan(store, "L0")?.state?.overpayment == .zero)
    }

    /// A rail that executes a batch and then loses the connection (the process is gone, or the
    /// answer never arrives): the caller cannot know what was paid.
    struct ExecutesThenFails: PaymentRail {
        let rail: MemoryRail
        func pay(_ requests: [PayoutRequest]) throws -> [RailAnswer] {
            _ = try rail.pay(requests)
            throw LendingError(code: "rail.gone", message: "the connection dropped after the call")
        }
        func records(keys: [String]) throws -> [String: RailRecord] { try rail.records(keys: keys) }
    }

    @Test func aRunThatLosesTheRailAfterItPaidAsksBeforeSendingAgain() throws {
        let (store, rail, _) = try RefundTests.overpaidBook()
        // Overpay L1 too, so a batch holds two refunds.
        try ReversalTests.post([Payment(id: "P2", loanID: "L1", date: CalendarDay(iso: "2026-01-21")!, amount: Money(yuan: "10500")!)], store, .standard)
        _ = try RefundTests.approve(store, loan: "L0")
        _ = try RefundTests.approve(store, loan: "L1")
        do {
            _ = try RefundTests.pay(store, ExecutesThenFails(rail: rail))
            Issue.record("a lost rail was not reported")
        } catch let error as LendingError {
            #expect(error.code == "refund.rail")
        }
        #expect(try store.readServicing { try $0.refundsInFlight(after: "", limit: 10) }.count == 2, "both stay in flight")
        // Lost answers too: the rail executes and its answer is lost.
        let next = try RefundTests.pay(store, reopen(rail, timeout: 1))
        #expect(next.sent == 0 && next.paid == 2, "the rail's records settle them; nothing is sent again")
        for key in ["L0#R1", "L1#R1"] { #expect(rail.list().filter { $0.key == key }.count == 1, "\(key) executed once") }
        #expect(try verify(store).holds)

        // An answer lost on the first send: unknown, then settled by the next run without a second payment.
        try ReversalTests.post([Payment(id: "P3", loanID: "L0", date: CalendarDay(iso: "2026-01-27")!, amount: Money(yuan: "50")!)], store, .standard)
        _ = try RefundTests.approve(store, loan: "L0", on: CalendarDay(iso: "2026-01-27")!)
        let lost = try RefundTests.pay(store, reopen(rail, timeout: 1), on: "2026-01-27")
        #expect(lost.sent == 1 && lost.unknown == 1)
        #expect(try store.readServicing { try $0.refunds(loanID: "L0") }.last?.refund.status == .unknown)
        let settled = try RefundTests.pay(store, rail, on: "2026-01-28")
        #expect(settled.sent == 0 && settled.paid == 1)
        #expect(rail.list().filter { $0.key == "L0#R2" }.count == 1)
        #expect(try verify(store).holds)
    }

    @Test func refusalsNameTheirCause() throws {
        let (store, _, held) = try RefundTests.overpaidBook()
        let desk = RefundDesk(products: .standard)
        func code(_ loanID: String, _ amount: Money? = nil, reason: String = "overpaid") -> String? {
            do {
                _ = try store.withServicingTransaction { try desk.request(loanID: loanID, amount: amount, reason: reason, by: "Li Lei", at: RefundTests.time, in: $0) }
                return nil
            } catch let error as ServicingRequestError {
                return error.code
            } catch {
                return "\(error)"
            }
        }
        #expect(code("NO-SUCH") == "refund.unknown_loan")
        #expect(code("L1") == "refund.nothing_held")
        #expect(code("L0", held + Money(fen: 1)) == "refund.amount")
        #expect(code("L0", .zero) == "refund.amount")
        #expect(code("L0", reason: "  ") == "refund.reason")
        #expect(code("L0") == nil)
        #expect(code("L0") == "refund.conflict")
        do {
            _ = try store.withServicingTransaction { try desk.approve(requestID: "refund:L0:9", by: "Han Meimei", at: RefundTests.time, on: RefundTests.day, in: $0) }
            Issue.record("an unknown request was approved")
        } catch let error as ServicingRequestError {
            #expect(error.code == "refund.no_request")
        }
        let rejected = try store.withServicingTransaction { try desk.reject(requestID: "refund:L0:1", by: "Li Lei", at: RefundTests.time, in: $0) }
        #expect(try rejected.status == .rejected && loan(store, "L0")?.state?.overpayment == held)
        #expect(code("L0") == nil, "a rejected request leaves room for a new one")
        #expect(try store.readServicing { try $0.approval(requestID: "refund:L0:2") }?.status == .pending)
    }

    @Test func anActiveLoansRefundIsReplayedInItsPlaceByAReversal() throws {
        var terms = ProductCatalog.standard.products["installment"]!
        terms.overpayment = .suspense
        var products = ProductCatalog.standard
        products.products["installment"] = terms
        let (store, rail) = try bookWithLoans(1)
        // P1 pays the first installment and 2,000.00 beyond, held by the suspense rule; a refund
        // takes 500.00 of it back; P2 pays more later; P2 is reversed.
        try ReversalTests.post([Payment(id: "P1", loanID: "L0", date: CalendarDay(iso: "2026-02-15")!, amount: Money(yuan: "5435.23")!)], store, products)
        let heldAfterP1 = try #require(try loan(store, "L0")?.state?.overpayment)
        #expect(heldAfterP1 == Money(yuan: "2000.00")!)
        let refund = try RefundTests.approve(store, amount: Money(yuan: "500")!, products: products, on: CalendarDay(iso: "2026-02-20")!)
        #expect(refund.refund.requestedOn == CalendarDay(iso: "2026-02-20")!, "an active loan is caught up through the business date")
        #expect(try loan(store, "L0")?.state?.processedThrough == CalendarDay(iso: "2026-02-20")!)
        _ = try RefundJob(asOf: CalendarDay(iso: "2026-02-20")!, products: products, protector: servicingProtector).run(store: store, rail: rail)
        try ReversalTests.post([Payment(id: "P2", loanID: "L0", date: CalendarDay(iso: "2026-03-01")!, amount: Money(yuan: "300")!)], store, products)
        try ReversalTests.endOfDay(store, CalendarDay(iso: "2026-03-20")!, products)
        let reversals = ReversalDesk(products: products)
        let at = Instant(iso: "2026-03-21T09:00:00+08:00")!
        let reversal = try store.withServicingTransaction { transaction in
            _ = try reversals.request(paymentID: "P2", reason: "bounced", by: "Li Lei", at: at, in: transaction)
            return try reversals.approve(paymentID: "P2", by: "Han Meimei", at: at, in: transaction)
        }
        #expect(reversal.after.overpayment.fen >= 0)
        let verified = try verify(store)
        #expect(verified.holds, "\(verified.problems)")
        // P1 funded the refund: without it the loan would never have held the 500.00 refunded.
        do {
            try store.withServicingTransaction { transaction in
                _ = try reversals.request(paymentID: "P1", reason: "bounced", by: "Li Lei", at: at, in: transaction)
                _ = try reversals.approve(paymentID: "P1", by: "Han Meimei", at: at, in: transaction)
            }
            Issue.record("the payment a refund was paid from was reversed")
        } catch let error as ServicingRequestError {
            #expect(error.code == "reverse.refunded")
        }
        #expect(try verify(store).holds)
    }
}
