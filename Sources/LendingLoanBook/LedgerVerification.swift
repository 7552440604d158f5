import LendingDisbursement
import LendingLedger
import LendingModel
import LendingServicing
import LendingStorePorts

/// `lending ledger verify`: the journal holds (every entry balances, the hash chain links from
/// the first row to the recorded head, no posting without its entry, the trial balance is
/// zero), every loan's balances equal its ledger accounts, and no loan was paid out twice (at
/// most one paid payout per loan, and exactly one disbursement entry, of the payout's amount,
/// for each paid payout), and every refund has its entry of its amount (and, refused, the entry
/// that returned it), with no refund entry left over; every suspense receipt has its entry, a
/// moved one its release and its payment to the loan, and `lender:suspense` holds exactly the
/// receipts still held.
public struct LedgerVerification: Sendable, Equatable {
    public var entries = 0
    public var postings = 0
    public var loans = 0
    public var payouts = 0
    public var refunds = 0
    public var suspenseReceipts = 0
    /// The chain head found (give it to `--expect-head` later to detect rows cut off the end
    /// together with the head record).
    public var head = ChainHead.genesis
    public var problems: [String] = []

    public var holds: Bool { problems.isEmpty }

    /// At most this many problems of one kind are listed (then a count).
    static let listed = 20

    /// Reads everything in one snapshot, so work committed meanwhile (an end of day, a payout,
    /// a server's repayments) is either all seen or not at all, never half.
    public static func run(store: any ServicingStore, expectHead: String? = nil) throws -> LedgerVerification {
        try store.readServicing { try run(transaction: $0, expectHead: expectHead) }
    }

    static func run(transaction store: any ServicingTransaction, expectHead: String?) throws -> LedgerVerification {
        var result = LedgerVerification()
        var chain = JournalChain()
        var balances = LedgerBalances()
        var chainBroken = false
        var unbalanced = 0
        var disbursements: [String: [Money]] = [:]
        var refundEntries: [String: [Money]] = [:]
        var suspenseEntries: [String: [Money]] = [:]
        let stored = try store.forEachJournalRow { row in
            result.entries += 1
            result.postings += row.entry.postings.count
            if !chainBroken, let found = chain.check(row, index: result.entries - 1) {
                chainBroken = true
                result.problems.append(describe(found))
            }
            if row.entry.postings.reduce(Int64(0), { $0 &+ $1.signedAmount.fen }) != 0 { unbalanced += 1 }
            balances.post(row.entry)
            if row.entry.kind == .adjustment, row.entry.id.hasPrefix("refund:") || row.entry.id.hasPrefix("refund-return:") {
                refundEntries[row.entry.id, default: []].append(row.entry.postings.filter { $0.account == .fundingCash }.reduce(.zero) { $0 + $1.amount })
            }
            if row.entry.kind == .adjustment, row.entry.id.hasPrefix("suspense:") || row.entry.id.hasPrefix("unsuspense:") {
                suspenseEntries[row.entry.id, default: []].append(row.entry.postings.filter { $0.account == .suspense }.reduce(.zero) { $0 + $1.amount })
            }
            if row.entry.kind == .disbursement, let loan = row.entry.loanID {
                var amount = Money.zero
                for posting in row.entry.postings where posting.account.kind == .principalReceivable && posting.side == .debit { amount += posting.amount }
                disbursements[loan, default: []].append(amount)
            }
        }
        if unbalanced > 0 { result.problems.append("\(unbalanced) journal entries do not balance") }
        if stored != result.postings {
            result.problems.append("the journal holds \(stored) postings but its entries have \(result.postings): postings were added, or their entry was removed")
        }
        let recordedHead = try store.journalHead()
        if !chainBroken, recordedHead != chain.head {
            result.problems.append(describe(.headMismatch(expected: recordedHead, found: chain.head)))
        }
        result.head = chain.head
        if let expectHead, expectHead.lowercased() != chain.head.hash.hex {
            result.problems.append("the journal ends at \(chain.head.hash.hex), not the expected \(expectHead): entries were removed from the end or added")
        }
        if balances.total != .zero { result.problems.append("the trial balance is \(balances.total), not 0.00") }

        var mismatched: [String] = []
        var seen = Set<String>()
        try store.forEachLoan { loan in
            result.loans += 1
            seen.insert(loan.loanID)
            let expected = loan.state?.ledgerBalances ?? .zero
            let found = balances.loan(loan.loanID)
            if expected != found {
                mismatched.append("loan \(loan.loanID) holds principal \(expected.principal), interest \(expected.interest), penalty \(expected.penalty), overpayment \(expected.overpayment) but its ledger accounts hold \(found.principal), \(found.interest), \(found.penalty), \(found.overpayment)")
            }
            if loan.state != nil, disbursements[loan.loanID] == nil {
                mismatched.append("loan \(loan.loanID) is serviced but has no disbursement entry")
            }
        }
        for loanID in balances.loans.keys where !seen.contains(loanID) {
            mismatched.append("the ledger has accounts of loan \(loanID), which is not stored")
        }
        result.problems += limited(mismatched.sorted(), what: "loan balance problems")

        var payoutProblems: [String] = []
        var paidLoans = Set<String>()
        try store.forEachLoanPayouts { loanID, payouts in
            result.payouts += payouts.count
            payoutProblems += Disbursement.audit(loanID: loanID, payouts: payouts)
            let paid = payouts.filter { $0.status == .paid }
            if let payout = paid.first {
                paidLoans.insert(loanID)
                let entries = disbursements[loanID] ?? []
                if entries != [payout.amount] {
                    payoutProblems.append("loan \(loanID) was paid \(payout.amount) (\(payout.key)) but the journal disburses it \(entries.isEmpty ? "nothing" : entries.map(\.description).joined(separator: " and "))")
                }
            }
        }
        for (loanID, entries) in disbursements where !paidLoans.contains(loanID) {
            payoutProblems.append("loan \(loanID) has \(entries.count) disbursement entr\(entries.count == 1 ? "y" : "ies") but no paid payout")
        }
        result.problems += limited(payoutProblems.sorted(), what: "payout problems")

        var refundProblems: [String] = []
        try store.forEachRefund { stored in
            result.refunds += 1
            let refund = stored.refund
            switch refundEntries.removeValue(forKey: refund.entryID) {
            case nil: refundProblems.append("refund \(refund.key) is stored but the journal has no \(refund.entryID)")
            case let taken? where taken != [refund.amount]:
                refundProblems.append("refund \(refund.key) is for \(refund.amount) but the journal refunds \(taken.map(\.description).joined(separator: " and "))")
            default: break
            }
            let returned = refundEntries.removeValue(forKey: refund.returnEntryID)
            switch (refund.status == .failed, returned) {
            case (true, nil): refundProblems.append("refund \(refund.key) was refused but its money was never returned (no \(refund.returnEntryID))")
            case (false, _?): refundProblems.append("refund \(refund.key) is \(refund.status.rawValue) but the journal returned its money")
            case (true, let amounts?) where amounts != [refund.amount]:
                refundProblems.append("refund \(refund.key) is for \(refund.amount) but the journal returned \(amounts.map(\.description).joined(separator: " and "))")
            default: break
            }
        }
        for id in refundEntries.keys { refundProblems.append("the journal has \(id) but no such refund is stored") }
        result.problems += limited(refundProblems.sorted(), what: "refund problems")

        var suspenseProblems: [String] = []
        var held = Money.zero
        try store.forEachSuspenseReceipt { receipt in
            result.suspenseReceipts += 1
            let id = receipt.receiptID
            if suspenseEntries.removeValue(forKey: SuspenseDesk.entryID(receiptID: id)) != [receipt.amount] {
                suspenseProblems.append("receipt \(id) of \(receipt.amount) has no entry \(SuspenseDesk.entryID(receiptID: id)) of its amount")
            }
            let released = suspenseEntries.removeValue(forKey: SuspenseDesk.releaseEntryID(receiptID: id))
            guard let loanID = receipt.loanID else {
                held += receipt.amount
                if released != nil { suspenseProblems.append("receipt \(id) is held but the journal moved it out of suspense") }
                return
            }
            if released != [receipt.amount] { suspenseProblems.append("receipt \(id) was moved to loan \(loanID) but the journal has no release of its amount") }
            let payment = try store.repayment(paymentID: receipt.paymentID)
            if payment?.loanID != loanID || payment?.amount != receipt.amount {
                suspenseProblems.append("receipt \(id) was moved to loan \(loanID) but that loan has no payment \(receipt.paymentID) of \(receipt.amount)")
            }
        }
        for id in suspenseEntries.keys { suspenseProblems.append("the journal has \(id) but no such receipt is stored") }
        let suspense = Money.zero - balances.balance(of: .suspense)
        if suspense != held { suspenseProblems.append("lender:suspense holds \(suspense) but the receipts held come to \(held)") }
        result.problems += limited(suspenseProblems.sorted(), what: "suspense problems")
        return result
    }

    static func limited(_ problems: [String], what: String) -> [String] {
        guard problems.count > listed else { return problems }
        return Array(problems.prefix(listed)) + ["... and \(problems.count - listed) more \(what)"]
    }

    static func describe(_ found: ChainBreak) -> String {
        switch found {
        case .edited(_, let sequence):
            "journal entry \(sequence) was edited: its hash does not match its contents"
        case .unlinked(_, let sequence):
            "journal entry \(sequence) does not follow the one before it: an entry was removed, inserted or moved before it"
        case .sequenceGap(_, let expected, let found):
            "journal entry \(expected) is missing (found \(found) next): an entry was removed"
        case .invalidEntry(_, let sequence, let code):
            "journal entry \(sequence) cannot be posted (\(code))"
        case .headMismatch(let expected, let found):
            "the journal ends at entry \(found.sequence) but the recorded head is entry \(expected.sequence) (\(expected.hash.hex.prefix(12))...): entries were removed from the end"
        }
    }
}
