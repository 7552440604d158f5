import Foundation
import ArgumentParser
import LendingCSV
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
        abstract: "Ask for a loan's reschedule, payment holiday or hardship pause; a second person approves it (lending approvals decide restructure:LOAN:N approve).",
        discussion: """
            Nothing changes until a different person approves: the request waits in lending \
            approvals list as restructure:LOAN:N. Approved, the installments not yet due are \
            rebuilt from the loan's last end of day: --months N replaces them by N monthly \
            installments (the current one keeps its due date); --holiday N moves every one of them \
            N months later (interest accrues over the holiday and is due with the first installment \
            after it); --pause-days N keeps the schedule but stops delinquency ageing for N days \
            from the next day (days past due, the bucket and the collections ladder stand still; \
            interest and penalty accrue). What has fallen due stays due. Worked examples: \
            docs/servicing.md.

            Examples:
              lending restructure A7-0000123 --months 12 --reason "hardship: reduced income" --by "Li Wei"
              lending restructure A7-0000124 --holiday 2 --reason "hospital stay" --by "Li Wei"
              lending restructure A7-0000125 --pause-days 60 --reason "lost job, new one from March" --by "Li Wei"
              lending approvals decide restructure:A7-0000123:1 approve --by "Wang Fang"
            """
    )

    @Argument(help: "The loan id.")
    var loanID: String

    @Option(name: .long, help: "Reschedule: the installments not yet due become this many monthly installments.")
    var months: Int?

    @Option(name: .long, help: "Payment holiday: skip this many installments (1 to 12); the term grows as many months.")
    var holiday: Int?

    @Option(name: .customLong("pause-days"), help: "Hardship pause: for this many days (1 to 180) days past due stand still; the schedule stays.")
    var pauseDays: Int?

    @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
    var reason: String

    @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
    var by: String

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard [months, holiday, pauseDays].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give one of --months N (reschedule), --holiday N (payment holiday) or --pause-days N (hardship pause)")
        }
    }

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "restructure", target: loanID, actor: by)
            let desk = RestructuringDesk(products: try products.load())
            let change: Restructuring = months.map { .reschedule(months: $0) } ?? holiday.map { .holiday(installments: $0) } ?? .pause(days: pauseDays ?? 0)
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

struct Refunds: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refunds of what a loan holds for its borrower (overpayment), maker-checker, paid through the rail crash safe.",
        subcommands: [Request.self, Pay.self, List.self]
    )

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for a refund; a second person approves it (lending approvals decide refund:LOAN:N approve).",
            discussion: """
                A loan holds money for its borrower when a payment was more than it owed (or the \
                product's suspense rule parks it until installments fall due); lending loans show \
                shows it as balances.overpayment. Nothing changes until a different person \
                approves: then the money leaves the loan (entry refund:LOAN#RN, Dr overpayment / \
                Cr funding cash) and the refund waits, in flight, for lending refunds pay to send \
                it through the rail. Refused by the rail, the money comes back to the loan.

                Examples:
                  lending refunds request A7-0000123 --reason "overpaid the last installment" --by "Li Wei"
                  lending refunds request A7-0000123 --amount 150.00 --reason "paid twice" --by "Li Wei"
                  lending approvals decide refund:A7-0000123:1 approve --by "Wang Fang" --as-of 2026-11-02
                  lending refunds pay --as-of 2026-11-02 --rail sim:rail.sqlite
                """
        )

        @Argument(help: "The loan id.")
        var loanID: String

        @Option(name: .long, help: "The amount in yuan (default: all the loan holds for its borrower).")
        var amount: String?

        @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
        var reason: String

        @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
        var by: String

        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let amount, Money(yuan: amount) == nil { throw ValidationError("--amount must be an amount in yuan such as 150.00") }
        }

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "refunds.request", target: loanID, actor: by)
                let desk = RefundDesk(products: try products.load())
                let request = try store.withServicingTransaction {
                    try desk.request(loanID: loanID, amount: amount.flatMap { Money(yuan: $0) }, reason: reason, by: by, at: now(), in: $0)
                }
                print("\(request.requestID),\(request.status.rawValue)")
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send every approved refund in flight through the rail, crash safe.",
            discussion: """
                A batch at a time: asks the rail about each refund's key first (a run killed after \
                its call, or an answer lost, left it there) and records what the rail holds; sends \
                the ones it never received, with the same key every time, and records the answers: \
                paid, refused (the money back to the loan, entry refund-return:KEY) or no answer \
                (asked again by the next run). Killed at any moment, the next run loses nothing \
                and pays no refund twice.

                Exit status: 0 success (refusals and lost answers are reported, not errors), 1 failed.

                Example:
                  lending refunds pay --as-of 2026-11-02 --rail sim:rail.sqlite
                """
        )

        @OptionGroup var asOf: AsOfOption
        @OptionGroup var rail: RailOptions
        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("batch-size"), help: "Refunds per rail call.")
        var batchSize: Int = 500

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, protector) = try database.open(writing: "refunds.pay")
                let job = RefundJob(asOf: asOf.day, products: try products.load(), protector: protector, batchSize: batchSize)
                let summary = try job.run(store: store, rail: try rail.open())
                if !quiet {
                    printToStandardError("refunds in flight \(summary.inFlight), sent \(summary.sent): \(summary.paid) paid, \(summary.failed) refused (money returned to the loan), \(summary.unknown) without answer (run again)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refunds as CSV: key, loan_id, number, amount, status, requested_on, settled_on, reason.",
            discussion: """
                Every refund (of one loan when LOAN is given), in key order. status: sent (approved, \
                not yet confirmed by the rail), unknown (the rail's answer was lost), paid, or failed \
                (the money went back to the loan).

                Example:
                  lending refunds list A7-0000123
                """
        )

        @Argument(help: "A loan id (default: every loan).")
        var loanID: String?

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try openDatabase(database.location)
                var rows: [String] = []
                try store.readServicing { transaction in
                    let add = { (stored: StoredRefund) in
                        let refund = stored.refund
                        rows.append([refund.key, refund.loanID, String(refund.number), refund.amount.description, refund.status.rawValue,
                                     refund.requestedOn.description, refund.settledOn?.description ?? "", refund.reason ?? ""].map(csvField).joined(separator: ","))
                    }
                    if let loanID { try transaction.refunds(loanID: loanID).forEach(add) } else { try transaction.forEachRefund(add) }
                }
                print("key,loan_id,number,amount,status,requested_on,settled_on,reason")
                for row in rows { print(row) }
            }
        }
    }
}

struct Suspense: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cash that belongs to no known loan yet: put it in suspense, move it to a loan (maker-checker), list it.",
        subcommands: [Receive.self, Move.self, List.self]
    )

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put receipts (receipt_id, received_at, amount) in suspense, every row or none.",
            discussion: """
                Each receipt posts suspense:RECEIPT (Dr funding cash / Cr lender:suspense). The same \
                row again changes nothing; the same receipt id with another date or amount is an \
                error naming both. Row errors stop the run (nothing stored) unless --rejects FILE \
                is given.

                Examples:
                  lending suspense receive receipts.csv
                  lending suspense receive receipts.csv --rejects bad-receipts.csv
                """
        )

        @Argument(help: "RECEIPTS.csv: receipt_id, received_at (YYYY-MM-DD), amount (yuan).")
        var receipts: String

        @Option(name: .long, help: "Set rows that cannot be received aside in this CSV and go on.")
        var rejects: String?

        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "suspense.receive")
                let summary = try SuspenseReceiveJob(inputPath: receipts, rejectsPath: rejects, products: try products.load()).run(store: store)
                if !quiet {
                    var line = "received \(summary.received) receipts (\(summary.amount) yuan) into suspense"
                    if summary.repeated > 0 { line += "; \(summary.repeated) already received (nothing changed)" }
                    line += rejectedNote(summary.rejected, rejects)
                    printToStandardError(line)
                }
                if summary.rejected > 0 { throw ExitCode(3) }
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask to move a receipt out of suspense to a loan; a second person approves (lending approvals decide suspense:RECEIPT:N approve).",
            discussion: """
                Nothing changes until a different person approves. Then, in one transaction, the \
                receipt leaves suspense (unsuspense:RECEIPT, Dr suspense / Cr funding cash) and is \
                applied to the loan as the payment suspense:RECEIPT, dated --as-of of the approval, \
                exactly as lending repay applies a payment.

                Examples:
                  lending suspense move BANK-20261102-0042 A7-0000123 --reason "reference matched the contract" --by "Li Wei"
                  lending approvals decide suspense:BANK-20261102-0042:1 approve --by "Wang Fang" --as-of 2026-11-03
                """
        )

        @Argument(help: "The receipt id.")
        var receiptID: String

        @Argument(help: "The loan it belongs to.")
        var loanID: String

        @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
        var reason: String

        @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
        var by: String

        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "suspense.move", target: receiptID, actor: by)
                let desk = SuspenseDesk(products: try products.load())
                let request = try store.withServicingTransaction {
                    try desk.request(receiptID: receiptID, loanID: loanID, reason: reason, by: by, at: now(), in: $0)
                }
                print("\(request.requestID),\(request.status.rawValue)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspense receipts as CSV: receipt_id, received_on, amount, status, loan_id, applied_on.",
            discussion: """
                Every receipt, in id order. status: held (in suspense) or moved (to loan_id, on \
                applied_on, as the payment suspense:RECEIPT).

                Example:
                  lending suspense list
                """
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try openDatabase(database.location)
                var rows: [String] = []
                try store.readServicing { transaction in
                    try transaction.forEachSuspenseReceipt { receipt in
                        rows.append([receipt.receiptID, receipt.receivedOn.description, receipt.amount.description, receipt.isHeld ? "held" : "moved",
                                     receipt.loanID ?? "", receipt.appliedOn?.description ?? ""].map(csvField).joined(separator: ","))
                    }
                }
                print("receipt_id,received_on,amount,status,loan_id,applied_on")
                for row in rows { print(row) }
            }
        }
    }
}
