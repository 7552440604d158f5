import Foundation
import LendingLedger
import LendingMemoryStore
import LendingModel
import LendingServicing
import LendingStorePorts
import LendingTestSupport
import Testing
import LendingLoanBook

/// Cash for no known loan (``SuspenseDesk``, ``SuspenseReceiveJob``): held in suspense, moved
/// to a loan by two people as the payment it would have been, and audited by `ledger verify`.
@Suite struct SuspenseTests {
    static let time = Instant(iso: "2026-02-16T09:00:00+08:00")!
    static let day = CalendarDay(iso: "2026-02-16")!

    static func receive(_ store: InMemoryStore, _ id: String, _ amount: String, on day: String = "2026-02-14") throws -> SuspenseDesk.ReceiveOutcome {
        try store.withServicingTransaction {
            try SuspenseDesk(products: .standard).receive(receiptID: id, on: CalendarDay(iso: day)!, amount: Money(yuan: amount)!, in: $0)
        }
    }

    static func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ServicingRequestError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test func aReceiptMovedToALoanIsThePaymentItWouldHaveBeen() throws {
        let (store, _) = try bookWithLoans(2)
        // L0 is paid 3,500.00 directly on 2026-02-16; the same money for L1 arrives on 02-14
        // without a usable reference and is moved to L1 on 02-16.
        try ReversalTests.post([Payment(id: "P1", loanID: "L0", date: SuspenseTests.day, amount: Money(yuan: "3500")!)], store, .standard)
        guard case .received(let receipt) = try SuspenseTests.receive(store, "BANK-1", "3500") else { Issue.record("not received"); return }
        #expect(receipt.isHeld && receipt.amount == Money(yuan: "3500")!)
        let entry = try #require(try journal(store).last?.entry)
        #expect(entry.id == "suspense:BANK-1" && entry.loanID == nil && entry.date == CalendarDay(iso: "2026-02-14")!)
        #expect(entry.postings == [.debit(.fundingCash, Money(yuan: "3500")!), .credit(.suspense, Money(yuan: "3500")!)])
        var verified = try verify(store)
        #expect(verified.holds && verified.suspenseReceipts == 1, "\(verified.problems)")
        // The same receipt again changes nothing; the same id with another amount is refused.
        #expect(try SuspenseTests.receive(store, "BANK-1", "3500") == .repeated(receipt))
        #expect(SuspenseTests.refusal { _ = try SuspenseTests.receive(store, "BANK-1", "3400") } == "suspense.conflict")
        #expect(SuspenseTests.refusal { _ = try SuspenseTests.receive(store, "BANK:1", "10") } == "suspense.receipt_id")

        let desk = SuspenseDesk(products: .standard)
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction { try desk.request(receiptID: "BANK-1", loanID: "NO-SUCH", reason: "matched", by: "Li Lei", at: SuspenseTests.time, in: $0) }
        } == "suspense.unknown_loan")
        let request = try store.withServicingTransaction {
            try desk.request(receiptID: "BANK-1", loanID: "L1", reason: "reference matched the contract", by: "Li Lei", at: SuspenseTests.time, in: $0)
        }
        #expect(request.requestID == "suspense:BANK-1:1" && request.status == .pending && request.kind == "suspense")
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction { try desk.request(receiptID: "BANK-1", loanID: "L0", reason: "again", by: "Li Lei", at: SuspenseTests.time, in: $0) }
        } == "suspense.conflict")
        let before = try journal(store).count
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction { try desk.approve(requestID: request.requestID, by: "li lei", at: SuspenseTests.time, on: SuspenseTests.day, in: $0) }
        } == "suspense.same_person")
        #expect(try journal(store).count == before)

        let (approved, repayment) = try store.withServicingTransaction {
            try desk.approve(requestID: request.requestID, by: "Han Meimei", at: SuspenseTests.time, on: SuspenseTests.day, in: $0)
        }
        #expect(approved.status == .approved && repayment.paymentID == "suspense:BANK-1" && repayment.paidOn == SuspenseTests.day)
        // L1 is now exactly what L0 is after its direct payment.
        var moved = try #require(try loan(store, "L1")?.state)
        let paid = try #require(try loan(store, "L0")?.state)
        moved.loanID = paid.loanID
        #expect(moved == paid)
        let direct = try #require(try store.readServicing { try $0.repayment(paymentID: "P1") })
        #expect([repayment.penalty, repayment.interest, repayment.principal, repayment.overpayment] ==
                [direct.penalty, direct.interest, direct.principal, direct.overpayment])
        let release = try #require(try journal(store).last?.entry)
        #expect(release.id == "unsuspense:BANK-1" && release.postings == [.debit(.suspense, Money(yuan: "3500")!), .credit(.fundingCash, Money(yuan: "3500")!)])
        let stored = try #require(try store.readServicing { try $0.suspenseReceipt(receiptID: "BANK-1") })
        #expect(stored.loanID == "L1" && stored.appliedOn == SuspenseTests.day)
        verified = try verify(store)
        #expect(verified.holds, "\(verified.problems)")

        // Moved once: never again, and not reversed as if it were cash.
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction { try desk.request(receiptID: "BANK-1", loanID: "L0", reason: "again", by: "Li Lei", at: SuspenseTests.time, in: $0) }
        } == "suspense.moved")
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction {
                try ReversalDesk(products: .standard).request(paymentID: "suspense:BANK-1", reason: "wrong loan", by: "Li Lei", at: SuspenseTests.time, in: $0)
            }
        } == "reverse.from_suspense")
    }

    @Test func ledgerVerifyFindsSuspenseThatTheReceiptsDoNotExplain() throws {
        let (store, _) = try bookWithLoans(1)
        _ = try SuspenseTests.receive(store, "BANK-1", "100")
        _ = try SuspenseTests.receive(store, "BANK-2", "250.50")
        #expect(try verify(store).holds)
        // Money put in suspense by hand, without a receipt.
        try store.withServicingTransaction { transaction in
            _ = try transaction.post([JournalEntry(id: "suspense:GHOST", date: SuspenseTests.day, kind: .adjustment,
                                                   postings: [.debit(.fundingCash, Money(fen: 700)), .credit(.suspense, Money(fen: 700))])])
        }
        let verified = try verify(store)
        #expect(!verified.holds)
        #expect(verified.problems.contains("the journal has suspense:GHOST but no such receipt is stored"), "\(verified.problems)")
        #expect(verified.problems.contains("lender:suspense holds 357.50 but the receipts held come to 350.50"), "\(verified.problems)")
    }

    @Test func aRejectedMoveLeavesTheReceiptHeldAndANewRequestGetsTheNextNumber() throws {
        let (store, _) = try bookWithLoans(1)
        _ = try SuspenseTests.receive(store, "BANK-1", "100")
        let desk = SuspenseDesk(products: .standard)
        let first = try store.withServicingTransaction {
            try desk.request(receiptID: "BANK-1", loanID: "L0", reason: "guess", by: "Li Lei", at: SuspenseTests.time, in: $0)
        }
        let rejected = try store.withServicingTransaction { try desk.reject(requestID: first.requestID, by: "Han Meimei", at: SuspenseTests.time, in: $0) }
        #expect(rejected.status == .rejected)
        #expect(try store.readServicing { try $0.suspenseReceipt(receiptID: "BANK-1") }?.isHeld == true)
        let second = try store.withServicingTransaction {
            try desk.request(receiptID: "BANK-1", loanID: "L0", reason: "confirmed by phone", by: "Li Lei", at: SuspenseTests.time, in: $0)
        }
        #expect(second.requestID == "suspense:BANK-1:2")
        #expect(SuspenseTests.refusal {
            _ = try store.withServicingTransaction { try desk.approve(requestID: first.requestID, by: "Han Meimei", at: SuspenseTests.time, on: SuspenseTests.day, in: $0) }
        } == "suspense.no_request")
    }
}
