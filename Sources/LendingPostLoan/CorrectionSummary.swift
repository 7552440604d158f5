import Foundation
import LendingCollections
import LendingLoanBook
import LendingModel
import LendingStorePorts

/// The back office's corrections of a book through a date, as the portfolio report shows them:
/// reversals (the payments' amounts), restructurings by kind (the restructured loans' principal
/// outstanding today) and refunds paid (their amounts).
public enum CorrectionSummary {
    /// - Parameters:
    ///   - approvals: every maker-checker request (approved ones are counted; others are ignored).
    ///   - asOf: the last business date counted: a payment reversed if it was paid by then, a
    ///     restructuring applied by then, a refund asked for by then.
    public static func lines(approvals: [ApprovalRequest], asOf: CalendarDay, in transaction: any ServicingTransaction) throws -> [CorrectionLine] {
        var reversals = (count: 0, loans: Set<String>(), amount: Money.zero)
        var restructured: [String: (count: Int, loans: Set<String>)] = [:]
        for request in approvals where request.status == .approved {
            switch request.kind {
            case "reversal":
                guard let payment = try transaction.repayment(paymentID: request.target), payment.paidOn <= asOf else { continue }
                reversals.count += 1
                reversals.loans.insert(payment.loanID)
                reversals.amount += payment.amount
            case "restructure":
                guard let applied = RestructuringDesk.applied(request), applied.on <= asOf else { continue }
                restructured[applied.change, default: (0, [])].count += 1
                restructured[applied.change, default: (0, [])].loans.insert(request.target)
            default: continue
            }
        }
        var lines: [CorrectionLine] = []
        if reversals.count > 0 {
            lines.append(CorrectionLine(kind: "Reversals of payments", count: reversals.count, loans: reversals.loans.count, amount: reversals.amount))
        }
        for (change, label) in [("reschedule", "Reschedules"), ("holiday", "Payment holidays"), ("pause", "Hardship pauses")] {
            guard let found = restructured[change] else { continue }
            let states = try transaction.loans(Array(found.loans))
            let outstanding = states.values.reduce(Money.zero) { $0 + ($1.state?.outstandingPrincipal ?? .zero) }
            lines.append(CorrectionLine(kind: label, count: found.count, loans: found.loans.count, amount: outstanding))
        }
        var refunds = (count: 0, loans: Set<String>(), amount: Money.zero)
        try transaction.forEachRefund { stored in
            guard stored.refund.status == .paid, stored.refund.requestedOn <= asOf else { return }
            refunds.count += 1
            refunds.loans.insert(stored.refund.loanID)
            refunds.amount += stored.refund.amount
        }
        if refunds.count > 0 {
            lines.append(CorrectionLine(kind: "Refunds paid", count: refunds.count, loans: refunds.loans.count, amount: refunds.amount))
        }
        return lines
    }
}
