import Foundation
import ArgumentParser
import LendingLoanBook
import LendingModel
import LendingServicing
import LendingStorePorts

struct Repayments: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A loan's payments, and reversals of wrong ones (maker-checker).",
        subcommands: [List.self, Reverse.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A loan's payments in the order they were posted, with their allocation as posted and whether they were reversed.",
            discussion: """
                Prints CSV: payment_id, paid_at, amount, penalty, interest, principal, overpayment, \
                recovery, reversed (yes, pending or no). The allocation is the one posted; a later \
                reversal of an earlier payment re-allocates the loan (see loans show).

                Example:
                  lending repayments list A7-0000123
                """
        )

        @Argument(help: "The loan id.")
        var loanID: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try openDatabase(database.location)
                let rows = try store.readServicing { transaction in
                    try transaction.repayments(loanID: loanID).map { payment -> String in
                        let status = try transaction.approval(requestID: ReversalDesk.approvalID(paymentID: payment.paymentID))?.status
                        let reversed = status == .approved ? "yes" : status == .pending ? "pending" : "no"
                        return [payment.paymentID, payment.paidOn.description, payment.amount.description, payment.penalty.description,
                                payment.interest.description, payment.principal.description, payment.overpayment.description,
                                payment.recovery.description, reversed].map(csvField).joined(separator: ",")
                    }
                }
                print("payment_id,paid_at,amount,penalty,interest,principal,overpayment,recovery,reversed")
                for row in rows { print(row) }
            }
        }
    }

    struct Reverse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for a payment's reversal; a second person approves it (lending approvals decide reversal:PAYMENT approve).",
            discussion: """
                Any payment of a loan that is not written off can be reversed, not only the last. \
                Nothing changes until a different person approves: the request waits in lending \
                approvals list. Approved, the loan is rebuilt from its disbursement with every other \
                payment in the order posted, so interest, penalty, days past due and the later \
                payments' allocation are as if this payment had never been made; the journal gets \
                one entry reverse:PAYMENT with the difference, dated the loan's last end of day.

                Example:
                  lending repayments reverse P-20260315-0042 --reason "paid to the wrong loan" --by "Li Wei"
                  lending approvals decide reversal:P-20260315-0042 approve --by "Wang Fang"
                """
        )

        @Argument(help: "The payment id.")
        var paymentID: String

        @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
        var reason: String

        @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
        var by: String

        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "repayments.reverse", target: paymentID, actor: by)
                let desk = ReversalDesk(products: try products.load())
                let request = try store.withServicingTransaction { try desk.request(paymentID: paymentID, reason: reason, by: by, at: now(), in: $0) }
                print("\(request.requestID),\(request.status.rawValue)")
            }
        }
    }
}

struct Restructure: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask for a loan's reschedule or payment holiday; a second person approves it (lending approvals decide restructure:LOAN:N approve).",
        discussion: """
            Nothing changes until a different person approves: the request waits in lending \
            approvals list as restructure:LOAN:N. Approved, the installments not yet due are \
            rebuilt from the loan's last end of day: --months N replaces them by N monthly \
            installments (the current one keeps its due date); --holiday N moves every one of them \
            N months later (interest accrues over the holiday and is due with the first installment \
            after it). What has fallen due stays due. Worked examples: docs/servicing.md.

            Examples:
              lending restructure A7-0000123 --months 12 --reason "hardship: reduced income" --by "Li Wei"
              lending restructure A7-0000124 --holiday 2 --reason "hospital stay" --by "Li Wei"
              lending approvals decide restructure:A7-0000123:1 approve --by "Wang Fang"
            """
    )

    @Argument(help: "The loan id.")
    var loanID: String

    @Option(name: .long, help: "Reschedule: the installments not yet due become this many monthly installments.")
    var months: Int?

    @Option(name: .long, help: "Payment holiday: skip this many installments (1 to 12); the term grows as many months.")
    var holiday: Int?

    @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
    var reason: String

    @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
    var by: String

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (months == nil) != (holiday == nil) else { throw ValidationError("give one of --months N (reschedule) or --holiday N (payment holiday)") }
    }

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "restructure", target: loanID, actor: by)
            let desk = RestructuringDesk(products: try products.load())
            let change: Restructuring = months.map { .reschedule(months: $0) } ?? .holiday(installments: holiday ?? 0)
            let request = try store.withServicingTransaction {
                try desk.request(loanID: loanID, change: change, reason: reason, by: by, at: now(), in: $0)
            }
            print("\(request.requestID),\(request.status.rawValue)")
        }
    }
}

/// A CSV field, quoted when it needs to be.
private func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
