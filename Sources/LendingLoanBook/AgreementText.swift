import Foundation
import LendingModel
import LendingServicing

/// The text of a loan or credit-line agreement, rendered from a fixed template: the parties,
/// the amount, the rate, the product's rules and, for an installment loan, the schedule as it
/// would be if paid out on the signing day (the real one runs from the payout day).
///
/// The text names the borrower, so it is stored sealed; its SHA-256 is stored in clear and
/// proves later which text was signed.
public struct AgreementText: Sendable, Equatable {
    public var applicationID: String
    public var product: String
    public var terms: ProductTerms
    /// The principal of a loan, the limit of a line.
    public var amount: Money
    public var termMonths: Int
    public var apr: AnnualRate
    public var borrowerName: String
    public var borrowerIDNumber: String
    public var signer: String
    public var signedAt: Instant
    /// The day the illustrative schedule starts (the signing day).
    public var illustrationDay: CalendarDay

    public init(applicationID: String, product: String, terms: ProductTerms, amount: Money, termMonths: Int, apr: AnnualRate,
                borrowerName: String, borrowerIDNumber: String, signer: String, signedAt: Instant, illustrationDay: CalendarDay) {
        self.applicationID = applicationID
        self.product = product
        self.terms = terms
        self.amount = amount
        self.termMonths = termMonths
        self.apr = apr
        self.borrowerName = borrowerName
        self.borrowerIDNumber = borrowerIDNumber
        self.signer = signer
        self.signedAt = signedAt
        self.illustrationDay = illustrationDay
    }

    /// The schedule shown in an installment agreement (empty for a line).
    /// - Throws: ``ServicingError`` for an amount or term that cannot be scheduled.
    public func schedule() throws -> [Installment] {
        guard terms.kind == .installment else { return [] }
        return try Schedule.installments(principal: amount, apr: apr, months: termMonths, method: terms.method, dayCount: terms.dayCount,
                                         disbursedOn: illustrationDay)
    }

    /// The schedule as JSON: `[{"number": 1, "due_date": "2026-11-01", "principal": "401.23", "interest": "61.15"}, ...]`.
    public static func scheduleJSON(_ installments: [Installment]) -> String {
        "[" + installments.map { item in
            "{\"number\":\(item.number),\"due_date\":\"\(item.dueDate)\",\"principal\":\"\(item.principalDue)\",\"interest\":\"\(item.interestDue)\"}"
        }.joined(separator: ",") + "]"
    }

    /// The product terms with the agreed rate, as JSON with sorted keys.
    public var termsJSON: String {
        var agreed = terms
        agreed.apr = apr
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(agreed)) ?? Data(), as: UTF8.self)
    }

    /// The agreement text.
    /// - Throws: ``ServicingError`` for an amount or term that cannot be scheduled.
    public func render() throws -> String { render(schedule: try schedule()) }

    /// The text with the schedule already computed by ``schedule()`` (signing needs both).
    public func render(schedule: [Installment]) -> String {
        let method = terms.method == .equalInstallment ? "equal monthly installments" : "equal monthly principal"
        let overdue = terms.allocation == .oldestInstallmentFirst
            ? "the oldest installment first, within it penalty, then interest, then principal"
            : "all penalty, then all interest, then all principal, each oldest installment first"
        let extra = terms.overpayment == .prepay
            ? "money beyond what is due prepays principal; the installments left are recomputed over the same due dates"
            : "money beyond what is due is held for the borrower and applied when installments fall due"
        var lines: [String] = []
        if terms.kind == .installment {
            lines.append("LOAN AGREEMENT \(applicationID)")
        } else {
            lines.append("REVOLVING CREDIT LINE AGREEMENT \(applicationID)")
        }
        lines.append("Product: \(product)")
        lines.append("Borrower: \(borrowerName), resident ID number \(borrowerIDNumber)")
        if terms.kind == .installment {
            lines.append("Principal: \(amount) yuan, paid out to the borrower's bank card")
            lines.append("Term: \(termMonths) monthly installments (\(method)), each due on the payout's day of the month, or on the last day of a shorter month")
        } else {
            lines.append("Credit limit: \(amount) yuan; each draw is a loan repaid in \(method) over the term chosen when drawing; principal repaid is available again")
        }
        lines.append("Annual interest rate: \(apr) (simple interest on the principal outstanding, actual days / \(terms.dayCount.daysInYear), accrued daily, rounded half to even to the fen)")
        lines.append("Penalty interest: \(terms.penaltyRate) a year on overdue principal, from day \(terms.graceDays + 1) past due")
        lines.append("Payments settle \(overdue); \(extra)")
        if !schedule.isEmpty {
            lines.append("Schedule if paid out on \(illustrationDay) (due dates follow the actual payout day):")
            lines.append("  no  due date      principal     interest      payment")
            for item in schedule {
                lines.append("  " + [pad(String(item.number), 2), pad(item.dueDate.description, 11), pad(item.principalDue.description, 12),
                                     pad(item.interestDue.description, 12), pad(item.amountDue.description, 12)].joined(separator: " "))
            }
        }
        lines.append("Signed by the \(signer) at \(signedAt)")
        return lines.joined(separator: "\n") + "\n"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
