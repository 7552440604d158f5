import Foundation
import LendingDisbursement
import LendingModel
import LendingServicing
import LendingStorePorts

/// `lending loans show ID`: a loan's terms, schedule, balances and days past due as JSON (or a
/// credit line's limit, what is drawn and its draws, for a line id).
public enum LoanView {
    struct Balances: Encodable {
        var principal: Money
        var interest: Money
        var penalty: Money
        var overpayment: Money
    }

    struct Line: Encodable {
        var number: Int
        var dueDate: CalendarDay
        var principalDue: Money
        var interestDue: Money
        var interestAccrued: Money
        var penaltyAccrued: Money
        var principalPaid: Money
        var interestPaid: Money
        var penaltyPaid: Money
        var status: String

        enum CodingKeys: String, CodingKey {
            case number, status
            case dueDate = "due_date"
            case principalDue = "principal_due"
            case interestDue = "interest_due"
            case interestAccrued = "interest_accrued"
            case penaltyAccrued = "penalty_accrued"
            case principalPaid = "principal_paid"
            case interestPaid = "interest_paid"
            case penaltyPaid = "penalty_paid"
        }
    }

    /// An approved reversal, restructuring or refund of the loan.
    struct Correction: Encodable {
        var requestID: String
        var kind: String
        /// The change as asked (reversal: reason, amount; restructuring: change, count, reason, date; refund: amount, reason).
        var detail: String
        var askedBy: String
        var approvedBy: String?

        enum CodingKeys: String, CodingKey {
            case kind, detail
            case requestID = "request_id"
            case askedBy = "asked_by"
            case approvedBy = "approved_by"
        }
    }

    struct Loan: Encodable {
        var loanID: String
        var lineID: String?
        var product: String
        var status: String
        var principal: Money
        var termMonths: Int
        var apr: AnnualRate
        var signedOn: CalendarDay
        var terms: ProductTerms
        var disbursedOn: CalendarDay?
        var processedThrough: CalendarDay?
        var balances: Balances
        var memoInterest: Money
        var memoPenalty: Money
        var daysPastDue: Int
        var bucket: String?
        var nonAccrual: Bool
        var payoffAmount: Money
        var closedOn: CalendarDay?
        var schedule: [Line]
        var payouts: [Payout]
        var corrections: [Correction] = []

        enum CodingKeys: String, CodingKey {
            case loanID = "loan_id"
            case lineID = "line_id"
            case product, status, principal, apr, terms, balances, bucket, schedule, payouts, corrections
            case termMonths = "term_months"
            case signedOn = "signed_on"
            case disbursedOn = "disbursed_on"
            case processedThrough = "processed_through"
            case memoInterest = "memo_interest"
            case memoPenalty = "memo_penalty"
            case daysPastDue = "days_past_due"
            case nonAccrual = "non_accrual"
            case payoffAmount = "payoff_amount"
            case closedOn = "closed_on"
        }
    }

    struct CreditLineView: Encodable {
        var lineID: String
        var product: String
        var limit: Money
        var drawnPrincipal: Money
        var available: Money
        var apr: AnnualRate
        var frozen: Bool
        var signedOn: CalendarDay
        var draws: [String]

        enum CodingKeys: String, CodingKey {
            case lineID = "line_id"
            case product, limit, available, apr, frozen, draws
            case drawnPrincipal = "drawn_principal"
            case signedOn = "signed_on"
        }
    }

    /// The JSON of a loan or a line (pretty, sorted keys); `nil` when neither exists.
    /// - Throws: the store's errors, ``LendingError`` for a product not in the products.
    public static func json(id: String, store: any ServicingStore, products: ProductCatalog) throws -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try store.readServicing { transaction -> String? in
            if let loan = try transaction.loans([id])[id] {
                var view = try self.view(loan, payouts: try transaction.payouts(loanIDs: [id])[id] ?? [], products: products)
                view.corrections = try corrections(loanID: id, in: transaction)
                return String(decoding: try encoder.encode(view), as: UTF8.self) + "\n"
            }
            if let stored = try transaction.line(id) {
                let line = stored.line
                let view = CreditLineView(lineID: line.lineID, product: stored.product, limit: line.limit, drawnPrincipal: line.drawnPrincipal,
                                          available: line.available, apr: line.apr, frozen: line.frozen, signedOn: stored.signedOn,
                                          draws: try transaction.loans(ofLine: id).map(\.loanID))
                return String(decoding: try encoder.encode(view), as: UTF8.self) + "\n"
            }
            return nil
        }
    }

    /// The loan's approved reversals (in the order its payments were posted), then its approved
    /// restructurings and refunds (each in the order asked; `lending refunds list` shows where a refund stands).
    static func corrections(loanID: String, in transaction: any ServicingTransaction) throws -> [Correction] {
        var found: [Correction] = []
        for payment in try transaction.repayments(loanID: loanID) {
            guard let request = try transaction.approval(requestID: ReversalDesk.approvalID(paymentID: payment.paymentID)),
                  request.status == .approved else { continue }
            found.append(Correction(requestID: request.requestID, kind: request.kind, detail: request.payload, askedBy: request.requestedBy,
                                    approvedBy: request.decidedBy))
        }
        for request in try RestructuringDesk.requests(loanID: loanID, in: transaction) + RefundDesk.requests(loanID: loanID, in: transaction)
        where request.status == .approved {
            found.append(Correction(requestID: request.requestID, kind: request.kind, detail: request.payload, askedBy: request.requestedBy,
                                    approvedBy: request.decidedBy))
        }
        return found
    }

    static func view(_ loan: StoredLoan, payouts: [Payout], products: ProductCatalog) throws -> Loan {
        var terms = try products.terms(for: loan.product)
        terms.apr = loan.apr
        let state = loan.state
        let schedule = (state?.installments ?? []).enumerated().map { index, item in
            let status: String
            if item.isSettled && item.penaltyUnpaid.fen == 0 {
                status = "paid"
            } else if let state, index < state.nextDueIndex {
                status = item.isSettled ? "penalty_owed" : "overdue"
            } else {
                status = "not_due"
            }
            return Line(number: item.number, dueDate: item.dueDate, principalDue: item.principalDue, interestDue: item.interestDue,
                        interestAccrued: item.interestAccrued, penaltyAccrued: item.penaltyAccrued, principalPaid: item.principalPaid,
                        interestPaid: item.interestPaid, penaltyPaid: item.penaltyPaid, status: status)
        }
        let balances = state?.ledgerBalances
        return Loan(loanID: loan.loanID, lineID: loan.lineID, product: loan.product, status: loan.status.rawValue, principal: loan.principal,
                    termMonths: loan.termMonths, apr: loan.apr, signedOn: loan.signedOn, terms: terms, disbursedOn: state?.disbursedOn,
                    processedThrough: state?.processedThrough,
                    balances: Balances(principal: balances?.principal ?? .zero, interest: balances?.interest ?? .zero,
                                       penalty: balances?.penalty ?? .zero, overpayment: balances?.overpayment ?? .zero),
                    memoInterest: state?.memoInterest ?? .zero, memoPenalty: state?.memoPenalty ?? .zero, daysPastDue: state?.daysPastDue ?? 0,
                    bucket: state?.bucket, nonAccrual: state?.nonAccrual ?? false, payoffAmount: state?.payoffAmount ?? .zero,
                    closedOn: state?.closedOn, schedule: schedule, payouts: payouts.sorted { $0.attempt < $1.attempt })
    }
}
