import LendingLedger
import LendingModel
import LendingStorePorts

/// `lending ledger balances`: every account's balance from the journal, as CSV: the lender's
/// accounts (debit positive) then each loan's principal, interest, penalty and overpayment held
/// (credit shown positive), in yuan with two decimals, loans in id order. Read in one snapshot.
/// Two books that ran the same loans the same way print the same file, whatever the store or
/// the number of processes that wrote it.
public enum LedgerBalancesExport {
    /// The CSV text (header first).
    public static func csv(store: any ServicingStore) throws -> String {
        var balances = LedgerBalances()
        _ = try store.forEachJournalRow { balances.post($0.entry) }
        var text = "account,balance\n"
        for kind in AccountKind.allCases where !kind.isLoanAccount {
            text += "lender:\(kind.rawValue),\(balances.lender[kind, default: .zero].yuanString)\n"
        }
        for loanID in balances.loans.keys.sorted() {
            let loan = balances.loans[loanID, default: .zero]
            text += "loan:\(loanID):principal,\(loan.principal.yuanString)\n"
            text += "loan:\(loanID):interest,\(loan.interest.yuanString)\n"
            text += "loan:\(loanID):penalty,\(loan.penalty.yuanString)\n"
            text += "loan:\(loanID):overpayment,\(loan.overpayment.yuanString)\n"
        }
        return text
    }
}
