import LendingLedger
import LendingModel

let day = CalendarDay(year: 2026, month: 11, day: 21)!

func fen(_ value: Int64) -> Money { Money(fen: value) }

/// A disbursement, an accrual and a repayment of loan `loan`, as the servicing stage makes them.
func sampleEntries(loan: String = "L1") -> [JournalEntry] {
    [
        JournalEntry(id: "disburse:\(loan)", date: day, kind: .disbursement, loanID: loan,
                     postings: [.debit(AccountID(loan: loan, .principalReceivable), fen(1_000_000)), .credit(.fundingCash, fen(1_000_000))]),
        JournalEntry(id: "accrue:\(loan):2026-11-22", date: day.adding(days: 1), kind: .accrual, loanID: loan,
                     postings: [.debit(AccountID(loan: loan, .interestReceivable), fen(500)), .credit(.interestIncome, fen(500))]),
        JournalEntry(id: "repay:P-\(loan)", date: day.adding(days: 2), kind: .repayment, loanID: loan,
                     postings: [.debit(.fundingCash, fen(10_700)), .credit(AccountID(loan: loan, .interestReceivable), fen(500)),
                                .credit(AccountID(loan: loan, .principalReceivable), fen(10_000)),
                                .credit(AccountID(loan: loan, .overpayment), fen(200))]),
    ]
}

/// A sealed journal of `count` entries over a few loans.
func sealedJournal(_ count: Int) throws -> [SealedEntry] {
    var chain = JournalChain()
    var rows: [SealedEntry] = []
    var index = 0
    while rows.count < count {
        for entry in sampleEntries(loan: "L\(index)") where rows.count < count { rows.append(try chain.seal(entry)) }
        index += 1
    }
    return rows
}
