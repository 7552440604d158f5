import LendingLedger
import LendingModel
import Testing

@Suite struct JournalEntryTests {
    @Test func acceptsABalancedEntry() throws {
        for entry in sampleEntries() { try entry.validate() }
        #expect(sampleEntries()[2].total == fen(10_700))
    }

    @Test func rejectsUnbalancedEntries() {
        let entry = JournalEntry(id: "x", date: day, kind: .adjustment, postings: [.debit(.fundingCash, fen(100)), .credit(.suspense, fen(99))])
        #expect(throws: LedgerError(code: "ledger.unbalanced", message: "entry x debits 1.00 but credits 0.99; debits must equal credits")) {
            try entry.validate()
        }
    }

    @Test func rejectsASinglePosting() {
        let entry = JournalEntry(id: "x", date: day, kind: .adjustment, postings: [.debit(.fundingCash, fen(100))])
        #expect((try? entry.validate()) == nil)
        #expect(code(of: entry) == "ledger.too_few_postings")
    }

    @Test func rejectsZeroAndNegativeAmounts() {
        let zero = JournalEntry(id: "x", date: day, kind: .adjustment, postings: [.debit(.fundingCash, fen(0)), .credit(.suspense, fen(0))])
        let negative = JournalEntry(id: "x", date: day, kind: .adjustment,
                                    postings: [.debit(.fundingCash, fen(-5)), .credit(.suspense, fen(-5))])
        #expect(code(of: zero) == "ledger.non_positive_amount")
        #expect(code(of: negative) == "ledger.non_positive_amount")
    }

    @Test func rejectsAnEmptyIdAndAnotherLoansAccount() {
        var entry = sampleEntries()[0]
        entry.id = ""
        #expect(code(of: entry) == "ledger.empty_id")
        let other = JournalEntry(id: "x", date: day, kind: .disbursement, loanID: "L1",
                                 postings: [.debit(AccountID(loan: "L2", .principalReceivable), fen(1)), .credit(.fundingCash, fen(1))])
        #expect(code(of: other) == "ledger.loan_mismatch")
    }

    @Test func reversalMirrorsEveryPostingAndCancelsTheBalances() throws {
        let original = sampleEntries()[2]
        let reversal = JournalEntry.reversal(of: original, date: day.adding(days: 5), memo: "wrong loan")
        try reversal.validate()
        #expect(reversal.id == "reverse:repay:P-L1")
        #expect(reversal.reverses == original.id)
        #expect(reversal.kind == .reversal)
        #expect(reversal.postings.map(\.side) == [.credit, .debit, .debit, .debit])
        let balances = LedgerBalances([original, reversal])
        #expect(balances.loan("L1") == .zero)
        #expect(balances.balance(of: .fundingCash) == .zero)
    }

    private func code(of entry: JournalEntry) -> String? {
        do {
            try entry.validate()
            return nil
        } catch let error as LedgerError {
            return error.code
        } catch {
            return "other"
        }
    }
}
