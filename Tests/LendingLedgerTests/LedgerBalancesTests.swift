import LendingLedger
import LendingModel
import Testing

@Suite struct LedgerBalancesTests {
    @Test func foldsLoanAndLenderBalances() {
        let balances = LedgerBalances(sampleEntries())
        #expect(balances.loan("L1") == LoanBalances(principal: fen(990_000), interest: .zero, penalty: .zero, overpayment: fen(200)))
        #expect(balances.balance(of: .fundingCash) == fen(-989_300))
        #expect(balances.balance(of: .interestIncome) == fen(-500))
        #expect(balances.balance(of: AccountID(loan: "L1", .overpayment)) == fen(-200))
        #expect(balances.total == .zero)
        #expect(balances.entryCount == 3)
    }

    @Test func trialBalanceListsNonZeroAccountsInOrderAndSumsToZero() {
        let balances = LedgerBalances(sampleEntries(loan: "B") + sampleEntries(loan: "A"))
        let rows = balances.trialBalance
        #expect(rows.map(\.account.description) == [
            "lender:funding_cash", "lender:interest_income", "loan:A:principal", "loan:A:overpayment", "loan:B:principal", "loan:B:overpayment",
        ])
        #expect(rows.reduce(Money.zero) { $0 + $1.balance } == .zero)
    }

    @Test func randomBalancedEntriesAlwaysSumToZero() throws {
        var random = SplitMix64(seed: 42)
        let accounts: [AccountID] = [.fundingCash, .interestIncome, .penaltyIncome, .suspense, .writeOffExpense]
        var balances = LedgerBalances()
        for index in 0..<2_000 {
            let loan = "L\(random.next() % 20)"
            let loanAccounts = [AccountKind.principalReceivable, .interestReceivable, .penaltyReceivable, .overpayment].map { AccountID(loan: loan, $0) }
            let amount = fen(Int64(random.next() % 1_000_000) + 1)
            let split = Int64(random.next() % UInt64(amount.fen)) + 0
            var postings: [Posting] = [.debit(loanAccounts[Int(random.next() % 4)], amount)]
            if split > 0 {
                postings.append(.credit(accounts[Int(random.next() % 5)], fen(split)))
                postings.append(.credit(loanAccounts[Int(random.next() % 4)], amount - fen(split)))
            } else {
                postings.append(.credit(accounts[Int(random.next() % 5)], amount))
            }
            let entry = JournalEntry(id: "e\(index)", date: day, kind: .adjustment, loanID: loan, postings: postings)
            try entry.validate()
            balances.post(entry)
        }
        #expect(balances.total == .zero)
        #expect(balances.trialBalance.reduce(Money.zero) { $0 + $1.balance } == .zero)
    }
}
