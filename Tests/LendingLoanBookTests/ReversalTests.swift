import Foundation
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Testing
import LendingLoanBook

/// Reversals of repayments (``ReversalDesk``): the property that a reversed payment leaves the book
/// as if it had never been posted, and the desk's refusals.
@Suite(.serialized) struct ReversalTests {
    static let start = CalendarDay(iso: "2026-01-15")!

    /// The products of a trial: the standard installment product's schedule (so the loans the
    /// fixtures disbursed keep theirs) with the allocation, overpayment and delinquency rules drawn.
    static func catalog(_ random: inout SplitMix64) -> ProductCatalog {
        var terms = ProductCatalog.standard.products["installment"]!
        terms.allocation = Bool.random(using: &random) ? .oldestInstallmentFirst : .penaltyThenInterestThenPrincipal
        terms.overpayment = Bool.random(using: &random) ? .prepay : .suspense
        terms.graceDays = Int.random(in: 0...5, using: &random)
        terms.nonAccrualAfterDays = [30, 60, 90][Int.random(in: 0...2, using: &random)]
        var products = ProductCatalog.standard
        products.products["installment"] = terms
        return products
    }

    /// One day of a trial's timeline.
    struct Day {
        var payments: [Payment] = []
        var endOfDay = false
    }

    static func post(_ payments: [Payment], _ store: InMemoryStore, _ products: ProductCatalog) throws {
        guard !payments.isEmpty else { return }
        try store.withServicingTransaction { transaction in
            let poster = RepaymentPoster(products: products)
            for payment in payments { _ = try poster.post(payment, in: transaction) }
        }
    }

    static func endOfDay(_ store: InMemoryStore, _ day: CalendarDay, _ products: ProductCatalog) throws {
        _ = try EndOfDayJob(asOf: day, products: products, batchSize: 10_000, threads: 1).run(store: store)
    }

    /// Balance of every account over the whole journal (debits positive).
    static func accountTotals(_ store: InMemoryStore) throws -> [AccountID: Int64] {
        var totals: [AccountID: Int64] = [:]
        for row in try journal(store) { for posting in row.entry.postings { totals[posting.account, default: 0] += posting.signedAmount.fen } }
        return totals.filter { $0.value != 0 }
    }

    @Test(arguments: 0..<200) func reversingARandomWrongPaymentGivesTheBookWhereItNeverHappened(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 11)
        let products = ReversalTests.catalog(&random)
        let loanCount = Int.random(in: 1...4, using: &random)
        let months = Int.random(in: 2...9, using: &random)
        let days = Int.random(in: 40...300, using: &random)
        // The timeline both books share: payments of random size (short, due, long, far over) on random days.
        var timeline = (0...days).map { _ in Day() }
        var paymentNumber = 0
        for index in 1...days {
            timeline[index].endOfDay = Double.random(in: 0..<1, using: &random) < 0.4
            for loan in 0..<loanCount where Double.random(in: 0..<1, using: &random) < 0.03 {
                paymentNumber += 1
                let amount = Money(fen: Int64.random(in: 1...600_000, using: &random))
                timeline[index].payments.append(Payment(id: "P\(paymentNumber)", loanID: "L\(loan)",
                                                        date: ReversalTests.start.adding(days: index), amount: amount))
            }
        }
        // The wrong payment (only in book A), and the day after which it is reversed.
        let wrongDay = Int.random(in: 1...days, using: &random)
        let wrongLoan = "L\(Int.random(in: 0..<loanCount, using: &random))"
        let wrong = Payment(id: "WRONG", loanID: wrongLoan, date: ReversalTests.start.adding(days: wrongDay),
                            amount: Money(fen: Int64.random(in: 1...1_200_000, using: &random)))
        let wrongFirst = Bool.random(using: &random)
        let reverseDay = Int.random(in: wrongDay...days, using: &random)
        // Half the trials restructure a loan in both books before the wrong payment (the books are
        // the same until then), so the reversal replays around a restructuring.
        let restructureDay = wrongDay > 1 && Bool.random(using: &random) ? Int.random(in: 1..<wrongDay, using: &random) : nil
        let change: Restructuring = switch Int.random(in: 0...2, using: &random) {
        case 0: .reschedule(months: Int.random(in: 1...12, using: &random))
        case 1: .holiday(installments: Int.random(in: 1...3, using: &random))
        default: .pause(days: Int.random(in: 1...60, using: &random))
        }
        // Half the trials refund half of what each loan holds in both books before the wrong
        // payment, through rails that refuse the same keys, so the reversal replays refunds and returns.
        let refundDay = wrongDay > 1 && Bool.random(using: &random) ? Int.random(in: 1..<wrongDay, using: &random) : nil
        let restructured = "L\(Int.random(in: 0..<loanCount, using: &random))"

        let (withWrong, _) = try bookWithLoans(loanCount, months: months)
        let (without, _) = try bookWithLoans(loanCount, months: months)
        let desk = ReversalDesk(products: products)
        let asked = Instant(iso: "2026-06-01T09:00:00+08:00")!
        for index in 1...days {
            let day = ReversalTests.start.adding(days: index)
            var payments = timeline[index].payments
            try ReversalTests.post(payments, without, products)
            if index == wrongDay { if wrongFirst { payments.insert(wrong, at: 0) } else { payments.append(wrong) } }
            try ReversalTests.post(payments, withWrong, products)
            if timeline[index].endOfDay {
                try ReversalTests.endOfDay(without, day, products)
                try ReversalTests.endOfDay(withWrong, day, products)
            }
            if index == restructureDay {
                let desk = RestructuringDesk(products: products)
                var outcomes: [String] = []
                for store in [without, withWrong] {
                    do {
                        try store.withServicingTransaction { transaction in
                            let request = try desk.request(loanID: restructured, change: change, reason: "hardship", by: "maker", at: asked, in: transaction)
                            _ = try desk.approve(requestID: request.requestID, by: "checker", at: asked, in: transaction)
                        }
                        outcomes.append("ok")
                    } catch let error as ServicingRequestError {
                        outcomes.append(error.code)
                    }
                }
                #expect(outcomes[0] == outcomes[1], "the same restructuring in the same books, seed \(seed)")
            }
            if index == refundDay {
                var held: [[String]] = []
                for store in [without, withWrong] {
                    let desk = RefundDesk(products: products)
                    var refunded: [String] = []
                    for loanID in (0..<loanCount).map({ "L\($0)" }) {
                        guard let state = try loan(store, loanID)?.state, state.overpayment.fen >= 2 else { continue }
                        try store.withServicingTransaction { transaction in
                            let request = try desk.request(loanID: loanID, amount: Money(fen: state.overpayment.fen / 2), reason: "overpaid",
                                                           by: "maker", at: asked, in: transaction)
                            _ = try desk.approve(requestID: request.requestID, by: "checker", at: asked, on: day, in: transaction)
                        }
                        refunded.append(loanID)
                    }
                    _ = try RefundJob(asOf: day, products: products, protector: servicingProtector)
                        .run(store: store, rail: MemoryRail(failRate: 0.5, seed: UInt64(seed)))
                    held.append(refunded)
                }
                #expect(held[0] == held[1], "the same refunds in the same books, seed \(seed)")
            }
            if index == reverseDay {
                try withWrong.withServicingTransaction { transaction in
                    _ = try desk.request(paymentID: "WRONG", reason: "paid to the wrong loan", by: "maker", at: asked, in: transaction)
                    let reversal = try desk.approve(paymentID: "WRONG", by: "checker", at: asked, in: transaction)
                    #expect(reversal.entry?.entry.id == "reverse:WRONG")
                }
                #expect(try verify(withWrong).holds, "ledger verify right after the reversal (seed \(seed))")
            }
        }
        let end = ReversalTests.start.adding(days: days + 1)
        try ReversalTests.endOfDay(without, end, products)
        try ReversalTests.endOfDay(withWrong, end, products)

        let expected = try states(without)
        let found = try states(withWrong)
        for loanID in expected.keys.sorted() {
            let want = try #require(expected[loanID] ?? nil)
            let got = try #require(found[loanID] ?? nil)
            #expect(got.ledgerBalances == want.ledgerBalances, "balances of \(loanID), seed \(seed)")
            #expect(got.daysPastDue == want.daysPastDue && got.bucket == want.bucket && got.status == want.status,
                    "delinquency of \(loanID), seed \(seed)")
            // The whole state too; a closed loan's processed date is the last day something happened
            // to it, which depends on when end of day ran (see ReversalDesk.sameLoan).
            var comparable = got
            if got.status != .active { comparable.processedThrough = want.processedThrough }
            #expect(comparable == want, "the whole state of \(loanID), seed \(seed)")
            #expect(got.processedThrough <= want.processedThrough || got.status == .active, "the processed date of \(loanID), seed \(seed)")
        }
        #expect(try ReversalTests.accountTotals(withWrong) == ReversalTests.accountTotals(without), "journal totals, seed \(seed)")
        #expect(try verify(withWrong).holds && verify(without).holds)
    }

    @Test func aReversalNeedsASecondPersonAndHappensOnce() throws {
        let (store, _) = try bookWithLoans(1)
        try ReversalTests.post([Payment(id: "P1", loanID: "L0", date: CalendarDay(iso: "2026-02-15")!, amount: Money(yuan: "3435.23")!)],
                               store, .standard)
        let desk = ReversalDesk(products: .standard)
        let time = Instant(iso: "2026-02-16T09:00:00+08:00")!
        let before = try journal(store).count
        try store.withServicingTransaction { transaction in
            _ = try desk.request(paymentID: "P1", reason: "bounced", by: "Li Lei", at: time, in: transaction)
        }
        #expect(throws: ServicingRequestError.self) {
            try store.withServicingTransaction { transaction in
                _ = try desk.request(paymentID: "P1", reason: "again", by: "Han Meimei", at: time, in: transaction)
            }
        }
        do {
            _ = try store.withServicingTransaction { try desk.approve(paymentID: "P1", by: " li lei ", at: time, in: $0) }
            Issue.record("the maker approved their own reversal")
        } catch let error as ServicingRequestError {
            #expect(error.code == "reverse.same_person")
        }
        #expect(try journal(store).count == before)
        let reversal = try store.withServicingTransaction { try desk.approve(paymentID: "P1", by: "Han Meimei", at: time, in: $0) }
        #expect(reversal.after.outstandingPrincipal == Money(yuan: "10000")!)
        #expect(reversal.after.installments[0].interestPaid == .zero && reversal.after.daysPastDue == 0)
        let entry = try #require(reversal.entry?.entry)
        #expect(entry.kind == .reversal && entry.reverses == "repay:P1" && entry.date == CalendarDay(iso: "2026-02-15")!)
        // Cash out 3435.23, principal receivable back 3280.23, interest receivable back 155.00.
        #expect(entry.postings.contains(.credit(.fundingCash, Money(yuan: "3435.23")!)))
        #expect(entry.postings.contains(.debit(AccountID(loan: "L0", .principalReceivable), Money(yuan: "3280.23")!)))
        #expect(entry.postings.contains(.debit(AccountID(loan: "L0", .interestReceivable), Money(yuan: "155.00")!)))
        #expect(try verify(store).holds)
        for attempt in ["request", "approve"] {
            do {
                try store.withServicingTransaction { transaction in
                    if attempt == "request" {
                        _ = try desk.request(paymentID: "P1", reason: "again", by: "Li Lei", at: time, in: transaction)
                    } else {
                        _ = try desk.approve(paymentID: "P1", by: "Wang Fang", at: time, in: transaction)
                    }
                }
                Issue.record("a reversed payment was reversed again (\(attempt))")
            } catch let error as ServicingRequestError {
                #expect(error.code == (attempt == "request" ? "reverse.conflict" : "reverse.no_request"))
            }
        }
    }

    @Test func refusalsNameTheirCause() throws {
        let (store, _) = try bookWithLoans(1)
        let desk = ReversalDesk(products: .standard)
        let time = Instant(iso: "2026-02-16T09:00:00+08:00")!
        func code(_ body: (any ServicingTransaction) throws -> Void) -> String? {
            do { try store.withServicingTransaction(body); return nil } catch let error as ServicingRequestError { return error.code } catch { return "\(error)" }
        }
        #expect(code { _ = try desk.request(paymentID: "NOPE", reason: "x", by: "a", at: time, in: $0) } == "reverse.unknown_payment")
        try ReversalTests.post([Payment(id: "P1", loanID: "L0", date: CalendarDay(iso: "2026-01-20")!, amount: Money(yuan: "10")!)], store, .standard)
        #expect(code { _ = try desk.request(paymentID: "P1", reason: " \u{3000} ", by: "a", at: time, in: $0) } == "reverse.reason")
        #expect(code { _ = try desk.approve(paymentID: "P1", by: "b", at: time, in: $0) } == "reverse.no_request")
        #expect(code { _ = try desk.request(paymentID: "P1", reason: "typo", by: "a", at: time, in: $0) } == nil)
        #expect(code { _ = try desk.reject(paymentID: "P1", by: "a", at: time, in: $0) } == nil)
        #expect(code { _ = try desk.approve(paymentID: "P1", by: "b", at: time, in: $0) } == "reverse.no_request")
        // A loan changed outside its payments (here: its stored state edited) is not replayed over.
        try store.withServicingTransaction { transaction in
            var state = try #require(try transaction.loans(["L0"])["L0"]?.state)
            state.penaltyReceivable += Money(fen: 1)
            try transaction.save(states: [state])
        }
        #expect(code { _ = try desk.request(paymentID: "P1", reason: "typo", by: "a", at: time, in: $0) } == nil)
        #expect(code { _ = try desk.approve(paymentID: "P1", by: "b", at: time, in: $0) } == "reverse.history_mismatch")
    }
    @Test func aReversedPaymentOnADrawDrawsItsPrincipalAgainAndAnotherDrawKeepsItsOwn() throws {
        let store = InMemoryStore()
        try storeApplications(store, [ApplicationSpec(id: "R1", product: "revolving", limit: Money(yuan: "20000")!, apr: AnnualRate(decimal: "0.18")!,
                                                      decidedAt: Instant(iso: "2026-01-10T09:00:00+08:00")!)])
        _ = try signer().run(.allApproved, store: store)
        let draws = try csvFile("reversal-draws", ["draw_id,line_id,amount,term_months,requested_at", "D1,R1,5000.00,6,2026-01-15",
                                                   "D2,R1,3000.00,3,2026-01-15"])
        _ = try DrawJob(inputPath: draws, products: .standard).run(store: store)
        try disburse(store, MemoryRail(), on: "2026-01-15")
        let paidOn = CalendarDay(iso: "2026-02-15")!
        try ReversalTests.post([Payment(id: "P1", loanID: "D1", date: paidOn, amount: Money(yuan: "2000")!),
                                Payment(id: "P2", loanID: "D2", date: paidOn, amount: Money(yuan: "1000")!)], store, .standard)
        let drawnBefore = try #require(try store.readServicing { try $0.line("R1") }?.line.drawnPrincipal)
        let desk = ReversalDesk(products: .standard)
        let time = Instant(iso: "2026-02-16T09:00:00+08:00")!
        let reversal = try store.withServicingTransaction { transaction in
            _ = try desk.request(paymentID: "P1", reason: "chargeback", by: "maker", at: time, in: transaction)
            return try desk.approve(paymentID: "P1", by: "checker", at: time, in: transaction)
        }
        let drawnAgain = reversal.after.outstandingPrincipal - reversal.before.outstandingPrincipal
        #expect(drawnAgain.fen > 0)
        #expect(try store.readServicing { try $0.line("R1") }?.line.drawnPrincipal == drawnBefore + drawnAgain)
        #expect(reversal.after.outstandingPrincipal == Money(yuan: "5000")!)
        #expect(try loan(store, "D2")?.state?.outstandingPrincipal.fen ?? 0 < Money(yuan: "3000")!.fen)
        #expect(try verify(store).holds)
    }
}
