import ArgumentParser
import Foundation
import LendingCSV
import LendingDisbursement
import LendingModel
import LendingPostLoan
import LendingStore
import LendingStorePorts
import LendingApplications
import LendingLoanBook

/// `--products FILE`: the product terms, over the built-in ones.
struct ProductOptions: ParsableArguments {
    @Option(name: .long, help: "The products file (JSON; see docs/servicing.md). Default: $LENDING_PRODUCTS, else the built-in products (Models/products-default.json).")
    var products: String?

    func load() throws -> ProductCatalog {
        try ProductOptions.load(products ?? ProcessInfo.processInfo.environment["LENDING_PRODUCTS"])
    }

    static func load(_ path: String?) throws -> ProductCatalog {
        guard let path, !path.isEmpty else { return .standard }
        return try ProductCatalog.load(path: path)
    }
}

/// `--rail sim:RAIL.sqlite` and the simulated rail's faults.
struct RailOptions: ParsableArguments {
    @Option(name: .long, help: "The payment rail: sim:FILE is the built-in simulated bank, a SQLite file of its own.")
    var rail: String = "sim:rail.sqlite"

    @Option(name: .customLong("rail-fail-rate"), help: "Simulated rail: the share of new payouts it refuses (0 to 1).")
    var failRate: Double = 0

    @Option(name: .customLong("rail-timeout-rate"), help: "Simulated rail: the share of executed payouts whose answer is lost (0 to 1).")
    var timeoutRate: Double = 0

    @Option(name: .customLong("rail-seed"), help: "Simulated rail: the seed of its faults.")
    var seed: UInt64 = 1

    @Option(name: .customLong("rail-latency-ms"), help: "Simulated rail: how long after executing a batch it answers, in milliseconds (a slow bank).")
    var latency: Int = 0

    func validate() throws {
        guard (0...60_000).contains(latency) else { throw ValidationError("--rail-latency-ms must be between 0 and 60000") }
        guard rail.hasPrefix("sim:"), rail.count > 4 else { throw ValidationError("--rail must be sim:FILE (the simulated rail); no other rail is built in") }
        guard (0...1).contains(failRate), (0...1).contains(timeoutRate) else { throw ValidationError("--rail-fail-rate and --rail-timeout-rate must be between 0 and 1") }
    }

    func open() throws -> SimulatedRail {
        try SimulatedRail(path: String(rail.dropFirst(4)), failRate: failRate, timeoutRate: timeoutRate, seed: seed, latencyMilliseconds: latency, clock: { now() })
    }
}

/// `--as-of DATE`, today by default (the only place the loan book's date comes from the clock).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "The business date (YYYY-MM-DD; default today, UTC+08:00).")
    var asOf: String?

    func validate() throws {
        if let asOf, asOf.utf8.count != 10 || CalendarDay(iso: asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
    }

    var day: CalendarDay { asOf.flatMap { CalendarDay(iso: $0) } ?? today() }
}

/// `lending apply --auto-sign`: signs the approved applications of the file just decided (of
/// standard input: every approved application not yet signed), with the products of
/// `--products` (else `$LENDING_PRODUCTS`, else the built-in ones), signed_at in the policy's time zone.
func signApproved(applications path: String, policy: LendingPolicy, products: ProductCatalog, store: any LendingDatabase,
                  protector: PersonalDataProtector, quiet: Bool) throws {
    let selection: AgreementJob.Selection = path == "-" ? .allApproved : .applications(try AgreementJob.applicationIDs(inFile: path))
    let job = AgreementJob(products: products, protector: protector, utcOffsetSeconds: policy.utcOffsetSeconds)
    let summary = try job.run(selection, store: store)
    if !quiet { printToStandardError("signed \(summary.signed) agreements (\(summary.loans) loans, \(summary.lines) credit lines)") }
}

struct Disburse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pay out signed loans and draws through the rail, crash safe.",
        discussion: """
            First asks the rail about every payout in flight (sent, or whose answer was lost) and \
            records what it says. Then, a batch at a time: records an intent for each signed loan \
            not yet paid (key = loan id; LOAN#N for a retry after a refusal), calls the rail, and \
            records the answers: paid (the disbursement is posted and the loan starts, its schedule \
            from --as-of), refused (retried by the next run), or no answer (settled by reconcile). \
            Killed at any moment, the next run loses nothing and pays no loan twice.

            Exit status: 0 success (refusals and lost answers are reported, not errors), 1 failed.

            Examples:
              lending disburse --as-of 2026-11-02 --rail sim:rail.sqlite
              lending disburse --as-of 2026-11-02 --rail sim:rail.sqlite \\
                  --rail-fail-rate 0.05 --rail-timeout-rate 0.05 --rail-seed 7
            """
    )

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var rail: RailOptions
    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("batch-size"), help: "Loans per intent transaction and rail call.")
    var batchSize: Int = 500

    @Flag(name: .long, help: "No progress line, no summary.")
    var quiet = false

    func run() throws {
        try reporting {
            let (store, protector) = try database.open(writing: "disburse")
            let job = DisburseJob(asOf: asOf.day, products: try products.load(), protector: protector, batchSize: batchSize)
            let showProgress = !quiet && standardErrorIsTerminal
            let report: @Sendable (DisburseJob.Progress) -> Void = { progress in
                let rate = Double(progress.sent) / max(progress.seconds, 1e-9)
                printToStandardError("\r\(progress.sent) payouts sent, \(Int(rate))/s", terminator: "")
            }
            let summary = try job.run(store: store, rail: try rail.open(), progress: showProgress ? report : nil)
            if showProgress { printToStandardError("\r\u{1B}[K", terminator: "") }
            if !quiet {
                let earlier = summary.reconciled
                var line = "sent \(summary.sent) payouts in \(String(format2: summary.seconds))s: \(summary.answered.paid) paid, "
                    + "\(summary.answered.failed) refused (retried next run), \(summary.answered.unknown) without answer (run reconcile)"
                if earlier.paid + earlier.failed + earlier.unknown + earlier.notAtRail > 0 {
                    line += "; earlier payouts in flight: \(earlier.paid) paid, \(earlier.failed) refused, \(earlier.notAtRail) sent again"
                }
                if summary.inFlight > 0 { line += "; \(summary.inFlight) still in flight" }
                printToStandardError(line)
            }
        }
    }
}

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the rail about every payout in flight and record what it says.",
        discussion: """
            A payout whose answer was lost (or that was sent when the process stopped) is settled \
            from the rail's own record: paid (the loan starts, dated the day it was sent) or \
            refused. Reconcile never pays; a payout the rail never received stays for disburse.

            Examples:
              lending reconcile --as-of 2026-11-02 --rail sim:rail.sqlite
            """
    )

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var rail: RailOptions
    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "No summary.")
    var quiet = false

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "reconcile")
            let counts = try ReconcileJob(asOf: asOf.day, products: try products.load()).run(store: store, rail: try rail.open())
            if !quiet {
                printToStandardError("reconciled \(counts.paid + counts.failed + counts.notAtRail) payouts in flight: \(counts.paid) paid, \(counts.failed) refused, \(counts.notAtRail) never reached the rail (disburse sends them)")
            }
        }
    }
}

struct RailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rail",
        abstract: "The simulated rail's own record.",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every payout the simulated bank executed or refused: key,amount,status,at.",
            discussion: """
                status is paid or failed; a payout whose answer was lost still shows paid.

                Example:
                  lending rail list --rail sim:rail.sqlite > rail.csv
                """
        )

        @Option(name: .long, help: "The simulated rail: sim:FILE.")
        var rail: String

        @Option(name: .shortAndLong, help: "The CSV to write, or - for standard output.")
        var output: String = "-"

        func validate() throws {
            guard rail.hasPrefix("sim:"), rail.count > 4 else { throw ValidationError("--rail must be sim:FILE") }
        }

        func run() throws {
            try reporting {
                let path = String(rail.dropFirst(4))
                guard FileManager.default.fileExists(atPath: path) else {
                    throw LendingError(code: "rail.missing", message: "there is no simulated rail here; check the path", file: path)
                }
                let file = try OutputFile(path: output)
                var buffer = CSVOutputBuffer()
                buffer.appendRecord(["key", "amount", "status", "at"])
                for record in try SimulatedRail(path: path, clock: { now() }).list() {
                    buffer.appendRecord([record.key, record.amount.yuanString, record.status.rawValue, record.at.description])
                    if buffer.count > 1 << 16 { try file.write(buffer); buffer.removeAll() }
                }
                try file.write(buffer)
                try file.commit()
            }
        }
    }
}

struct Draw: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw from credit lines: each draw is a loan with its own term, paid out by disburse.",
        discussion: """
            DRAWS.csv: draw_id, line_id, amount, term_months, requested_at. The line id is the \
            revolving application's id. A draw lowers what the line has available (principal repaid \
            restores it); a frozen line or an amount over what is available is refused. The draw's \
            loan has the draw id as its loan id and is paid out by the next disburse.

            The file is one transaction. A draw id already taken with the same row changes nothing; \
            with another amount it is an error. A bad or refused row stops the run (nothing stored) \
            unless --rejects FILE is given (line,column,reason,raw; exit 3).

            Examples:
              lending draw draws.csv
              lending draw draws.csv --rejects refused.csv
            """
    )

    @Argument(help: "DRAWS.csv, or - for standard input.")
    var draws: String

    @Option(name: .long, help: "Set rows that cannot be taken aside in this CSV and go on.")
    var rejects: String?

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "No summary.")
    var quiet = false

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "draw")
            let summary = try DrawJob(inputPath: draws, rejectsPath: rejects, products: try products.load()).run(store: store)
            if !quiet {
                var line = "took \(summary.drawn) draws (\(summary.amount) yuan)"
                if summary.repeated > 0 { line += "; \(summary.repeated) already taken (nothing changed)" }
                line += rejectedNote(summary.rejected, rejects)
                printToStandardError(line)
            }
            if summary.rejected > 0 { throw ExitCode(3) }
        }
    }
}

struct Repay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply payments: penalty, interest, then principal, oldest installment first.",
        discussion: """
            PAYMENTS.csv: payment_id, loan_id, paid_at, amount. Each payment catches the loan up to \
            its date, settles what is due in the product's order, then prepays (or holds, by the \
            product's overpayment rule) the rest, and is posted on the ledger.

            The file is one transaction, in file order. A payment id already applied with the same \
            row changes nothing; with another amount it is an error that names both. Unknown \
            loans, loans not yet paid out and payments dated before the loan's last end of day are \
            errors: the run stops (nothing stored) unless --rejects FILE is given \
            (line,column,reason,raw; exit 3). Apply a day's payments before its end of day.

            Examples:
              lending repay payments.csv --rejects unknown.csv
            """
    )

    @Argument(help: "PAYMENTS.csv, or - for standard input.")
    var payments: String

    @Option(name: .long, help: "Set rows that cannot be applied aside in this CSV and go on.")
    var rejects: String?

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "No summary.")
    var quiet = false

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "repay")
            let summary = try RepayJob(inputPath: payments, rejectsPath: rejects, products: try products.load()).run(store: store)
            if !quiet {
                var line = "applied \(summary.applied) payments (\(summary.amount) yuan) in \(String(format2: summary.seconds))s"
                if summary.repeated > 0 { line += "; \(summary.repeated) already applied (nothing changed)" }
                line += rejectedNote(summary.rejected, rejects)
                printToStandardError(line)
            }
            if summary.rejected > 0 { throw ExitCode(3) }
        }
    }
}

struct Eod: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eod",
        abstract: "End of day: accrue, fall due, days past due; then post-loan: collections, write-offs, early warning, month-end snapshots.",
        discussion: """
            Servicing: runs every active loan through --as-of, one day at a time from the day after \
            the last it was run for (missed days are caught up; a date already run changes \
            nothing), and posts the accruals on the ledger, a batch of loans per transaction.

            Post-loan (unless --no-post-loan), in one transaction: advances the collections ladder \
            of every overdue or nearly due loan (promises and conversations recorded by \
            collections record are taken), writes off at the strategy's day through the ledger, \
            plans the next day's contacts (lending collections plan), applies early warning to \
            credit lines (freeze, reduce the limit; logged with reasons) and, on a month's last \
            day, snapshots every loan for lending report portfolio. A date runs once. The contact \
            limits and opt-outs are per person, across all the borrower's loans and draws; \
            --strategy gives the collections strategy, --policy the lender's policy, whose \
            utcOffset is the borrowers' time zone for contact hours (default +08:00).

            Scale out: --workers N runs N shares of the book at once in this process, each in \
            its own transactions (on PostgreSQL each on its own connection); --partition I/N runs \
            share I of N, for N processes on N machines on one PostgreSQL database. A share a \
            killed process left is finished by the next run of that share (or of the whole book); \
            post-loan runs once every share is done, in the run that finishes the last one.

            Examples:
              lending eod --as-of 2026-11-30
              lending eod --as-of 2026-11-30 --strategy my-strategy.json --policy my-policy.json
              lending eod --as-of 2026-11-30 --db postgres://lending@db:5432/book --workers 4
              lending eod --as-of 2026-11-30 --db postgres://lending@db:5432/book --partition 2/3
            """
    )

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var products: ProductOptions
    @OptionGroup var collections: CollectionsOptions
    /// The lender's policy: its `utcOffset` is the borrowers' time zone (contact hours, the plan's day).
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("batch-size"), help: "Loans per transaction.")
    var batchSize: Int = 10_000

    @Option(name: .long, help: "Threads computing a batch (default: every core).")
    var threads: Int?

    @Option(name: .long, help: "Shares of the book run at once by this process, each in its own transactions.")
    var workers: Int = 1

    @Option(name: .long, help: ArgumentHelp("Run share I of N of the book only (1-based), for N processes on one database.", valueName: "I/N"))
    var partition: String?

    @Flag(name: .customLong("no-post-loan"), help: "Servicing only: no collections, write-offs, early warning or snapshots.")
    var noPostLoan = false

    @Flag(name: .long, help: "No progress line, no summary.")
    var quiet = false

    func validate() throws {
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be between 1 and 256") }
        if let partition, LoanPartition(text: partition) == nil {
            throw ValidationError("--partition must be I/N with 1 <= I <= N, such as 2/4")
        }
    }

    @Flag(name: .long, help: "Print where end of day stands for --as-of (loans behind, post-loan run) as JSON, and run nothing.")
    var status = false

    func run() throws {
        try reporting {
            if status {
                let (store, _) = try database.open()
                let found = try EndOfDayStatus.read(asOf: asOf.day, store: store)
                print(#"{"date":"\#(found.date)","loans_behind":\#(found.loansBehind),"post_loan_ran":\#(found.postLoanRan),"last_post_loan_run":\#(found.lastPostLoanRun.map { "\"\($0)\"" } ?? "null"),"done":\#(found.done)}"#)
                return
            }
            let (store, _) = try database.open(writing: "eod", target: asOf.day.description)
            try runEndOfDay(day: asOf.day, store: store, products: try products.load(), collections: noPostLoan ? nil : collections,
                            batchSize: batchSize, threads: threads, partition: partition.flatMap { LoanPartition(text: $0) } ?? .all,
                            workers: workers, utcOffsetSeconds: try policyOptions.utcOffsetSeconds(), quiet: quiet)
        }
    }
}

struct Loans: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Loans and credit lines.",
        subcommands: [Show.self, WriteOff.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a loan (terms, schedule, balances, days past due) or a credit line as JSON.",
            discussion: """
                Examples:
                  lending loans show A7-0000123
                """
        )

        @Argument(help: "The loan id (an application id, or a draw id), or a credit line id.")
        var id: String

        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                guard let json = try LoanView.json(id: id, store: store, products: try products.load()) else {
                    throw LendingError(code: "loans.unknown", message: "there is no loan or credit line \(clippedForMessage(id)); check the id (loans exist once signed)")
                }
                print(json, terminator: "")
            }
        }
    }
}

struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The double-entry ledger.",
        subcommands: [Verify.self, Balances.self]
    )

    struct Balances: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every account's balance from the journal as CSV (account,balance in yuan).",
            discussion: """
                The lender's accounts, then each loan's principal, interest, penalty and \
                overpayment held, loans in id order, read in one snapshot. Two books that ran the \
                same loans the same way print the same file, whatever the store.

                Examples:
                  lending ledger balances > balances.csv
                  lending ledger balances --db postgres://lending@db:5432/book
                """
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                print(try LedgerBalancesExport.csv(store: store), terminator: "")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the ledger: exit 0 only if it holds.",
            discussion: """
                Every entry balances, the hash chain links every entry from the first to the \
                recorded head (an edited, removed, inserted or moved entry breaks it), the trial \
                balance is zero, every loan's balances equal its ledger accounts, and no loan was \
                paid out twice. Prints the counts and the chain head; keep the head elsewhere and \
                pass it to --expect-head later to also detect entries cut off with the head record.

                Examples:
                  lending ledger verify
                  lending ledger verify --expect-head 3f2a...
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("expect-head"), help: "The chain head's hash as recorded earlier.")
        var expectHead: String?

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let result = try LedgerVerification.run(store: store, expectHead: expectHead)
                for problem in result.problems { printToStandardError("\(LendingDatabaseURL(database.location).displayName): \(problem)") }
                print("entries \(result.entries) postings \(result.postings) loans \(result.loans) payouts \(result.payouts) refunds \(result.refunds) suspense \(result.suspenseReceipts) head \(result.head.sequence):\(result.head.hash.hex) \(result.holds ? "ok" : "BROKEN")")
                if !result.holds { throw ExitCode(1) }
            }
        }
    }
}
