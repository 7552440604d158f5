import ArgumentParser
import Foundation
import LendingApplications
import LendingCSV
import LendingLoanBook
import LendingModel
import LendingPostLoan
import LendingStorePorts

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign an approved application with the applicant's acceptance evidence: its agreement, and the loan or line it makes.",
        discussion: """
            Show the applicant the agreement text first (lending agreement show ID prints it and \
            its SHA-256); when the applicant accepts, record the acceptance with the time, the \
            channel, the IP address and device as the channel gives them, and the SHA-256 of the \
            text shown, which must be the agreement's. The IP and device are sealed with the \
            personal-data key. Any approved application can be signed this way, whether the \
            automatic decision or a reviewer approved it. Prints application_id,loan_id,line_id,signed_at.

            Examples:
              lending agreement show A7-0000123 > shown.txt
              lending sign A7-0000123 --accepted-at 2026-11-21T09:30:00+08:00 --channel app \\
                  --ip 203.0.113.7 --device D-88 --text-sha256 $(sha256sum shown.txt | cut -c1-64)
            """
    )

    @Argument(help: "The application id.")
    var applicationID: String

    @Option(name: .customLong("accepted-at"), help: "When the applicant accepted (ISO 8601 with offset).")
    var acceptedAt: String

    @Option(name: .long, help: "The channel the applicant accepted on (app, web, branch, ...).")
    var channel: String

    @Option(name: .long, help: "The applicant's IP address, as the channel gives it.")
    var ip: String?

    @Option(name: .long, help: "The applicant's device id, as the channel gives it.")
    var device: String?

    @Option(name: .customLong("text-sha256"), help: "SHA-256 (64 hex digits) of the agreement text shown to the applicant.")
    var textSHA256: String

    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if Instant(iso: acceptedAt) == nil { throw ValidationError("--accepted-at must be a date-time with offset, like 2026-11-21T09:30:00+08:00") }
        if SigningJob.sha256(hex: textSHA256) == nil { throw ValidationError("--text-sha256 must be 64 hexadecimal digits") }
        if !SigningJob.isChannel(channel) { throw ValidationError("--channel must be 1 to 32 letters, digits, '_' or '-'") }
    }

    func run() throws {
        try reporting {
            let policy = try policyOptions.load()
            let (store, protector) = try database.open(writing: "sign", target: applicationID)
            let job = SigningJob(products: try products.load(), protector: protector, utcOffsetSeconds: policy.utcOffsetSeconds)
            let acceptance = SigningJob.Acceptance(acceptedAt: Instant(iso: acceptedAt)!, channel: channel, ip: ip, device: device,
                                                   shownTextHash: SigningJob.sha256(hex: textSHA256)!)
            let signed = try job.sign(applicationID: applicationID, acceptance: acceptance, recordedBy: database.actor, recordedAt: now(), store: store)
            print("\(applicationID),\(signed.loanID ?? ""),\(signed.lineID ?? ""),\(signed.agreement.signedAt)")
        }
    }
}

struct Agreement: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Agreements of approved applications.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the agreement text of an approved application (to show the applicant); its SHA-256 goes to stderr.",
            discussion: "The text names the borrower: handle it as personal data.\n\nExample:\n  lending agreement show A7-0000123 > shown.txt"
        )

        @Argument(help: "The application id.")
        var applicationID: String

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var products: ProductOptions
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let policy = try policyOptions.load()
                let (store, protector) = try database.open()
                let job = SigningJob(products: try products.load(), protector: protector, utcOffsetSeconds: policy.utcOffsetSeconds)
                let shown = try job.agreement(applicationID: applicationID, store: store)
                print(shown.text, terminator: "")
                printToStandardError("sha256 \(hexString(shown.sha256))\(shown.signed ? " (signed)" : "")")
            }
        }
    }
}

struct Approvals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Maker-checker requests waiting for (or given) a second person's approval.",
        subcommands: [List.self, Decide.self]
    )

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve or reject a maker-checker request as its second person (never the one who asked).",
            discussion: """
                REQUEST_ID is review:APPLICATION (approve: the review approval is decided; reject: the \
                application is declined), write_off:LOAN (approve: the loan is written off through \
                the ledger, as of its last end of day; reject: nothing is written off) or \
                reversal:PAYMENT (approve: the payment is reversed and the loan rebuilt without it; \
                reject: nothing changes) or restructure:LOAN:N (approve: the schedule is rebuilt \
                from the loan's last end of day; reject: nothing changes) or refund:LOAN:N (approve: \
                the money leaves the loan, dated --as-of, and waits for lending refunds pay; reject: \
                nothing changes) or suspense:RECEIPT:N (approve: the receipt leaves suspense and is \
                applied to its loan as a payment dated --as-of; reject: it stays in suspense).

                Examples:
                  lending approvals decide write_off:A7-0000123 approve --by "Wang Fang"
                  lending approvals decide review:A7-0000124 reject --by "Wang Fang"
                """
        )

        @Argument(help: "The request id (see lending approvals list).")
        var requestID: String

        @Argument(help: "approve or reject.")
        var verdict: String

        @Option(name: .long, help: "The checker's name (recorded with the request and in the audit log).")
        var by: String

        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var products: ProductOptions
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard verdict == "approve" || verdict == "reject" else { throw ValidationError("the verdict must be approve or reject") }
            guard ["review:", "write_off:", "reversal:", "restructure:", "refund:", "suspense:"].contains(where: requestID.hasPrefix) else {
                throw ValidationError("the request id is review:APPLICATION, write_off:LOAN, reversal:PAYMENT, restructure:LOAN:N, refund:LOAN:N or suspense:RECEIPT:N")
            }
        }

        func run() throws {
            try reporting {
                let (store, _) = try database.open(writing: "approvals.decide", target: requestID, actor: by)
                let target = String(requestID.drop { $0 != ":" }.dropFirst())
                if requestID.hasPrefix("review:") {
                    let policy = try policyOptions.load()
                    let outcome = try store.withTransaction { transaction in
                        try ReviewDesk(policy: policy).decide(applicationID: target, approve: verdict == "approve", by: by, at: now(), in: transaction)
                    }
                    CommandAudit.note(outcome.decision?.outcome.rawValue ?? "awaiting second approval")
                    print("\(requestID),\(outcome.decision.map { $0.outcome == .approve ? "approved" : "rejected" } ?? "pending")")
                } else if let servicing = try servicingDecision() {
                    let request = try store.withServicingTransaction(servicing)
                    CommandAudit.note(request.status.rawValue)
                    print("\(requestID),\(request.status.rawValue)")
                } else {
                    let desk = WriteOffDesk(products: try products.load())
                    let request = try store.withCollectionsTransaction { transaction in
                        verdict == "approve" ? try desk.approve(loanID: target, by: by, at: now(), in: transaction).0
                            : try desk.reject(loanID: target, by: by, at: now(), in: transaction)
                    }
                    CommandAudit.note(request.status.rawValue)
                    print("\(requestID),\(request.status.rawValue)")
                }
            }
        }

        /// The verdict on a request of a servicing desk (restructure, refund, suspense, reversal)
        /// as one write in a servicing transaction; `nil` for the other kinds.
        func servicingDecision() throws -> ((any ServicingTransaction) throws -> ApprovalRequest)? {
            let approve = verdict == "approve", day = asOf.day, time = now(), checker = by, id = requestID
            if id.hasPrefix("reversal:") {
                let desk = ReversalDesk(products: try products.load()), payment = String(id.dropFirst("reversal:".count))
                return { approve ? try desk.approve(paymentID: payment, by: checker, at: time, in: $0).request
                    : try desk.reject(paymentID: payment, by: checker, at: time, in: $0) }
            }
            if id.hasPrefix("restructure:") {
                let desk = RestructuringDesk(products: try products.load())
                return { approve ? try desk.approve(requestID: id, by: checker, at: time, in: $0).0 : try desk.reject(requestID: id, by: checker, at: time, in: $0) }
            }
            if id.hasPrefix("refund:") {
                let desk = RefundDesk(products: try products.load())
                return { approve ? try desk.approve(requestID: id, by: checker, at: time, on: day, in: $0).0 : try desk.reject(requestID: id, by: checker, at: time, in: $0) }
            }
            if id.hasPrefix("suspense:") {
                let desk = SuspenseDesk(products: try products.load())
                return { approve ? try desk.approve(requestID: id, by: checker, at: time, on: day, in: $0).0 : try desk.reject(requestID: id, by: checker, at: time, in: $0) }
            }
            return nil
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List requests as CSV (request_id,kind,target,status,requested_by,requested_at,decided_by,decided_at), oldest first.",
            discussion: "A review approval above the policy's review.secondApprovalAbove waits here until another reviewer approves it (lending review decide).\n\nExample:\n  lending approvals list --status pending"
        )

        @Option(name: .long, help: "pending, approved or rejected (default: all).")
        var status: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let status, ApprovalRequest.Status(rawValue: status) == nil { throw ValidationError("--status must be pending, approved or rejected") }
        }

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                var buffer = CSVOutputBuffer()
                buffer.appendRecord(["request_id", "kind", "target", "status", "requested_by", "requested_at", "decided_by", "decided_at"])
                for request in try store.approvals(status: status.flatMap { ApprovalRequest.Status(rawValue: $0) }) {
                    buffer.appendRecord([request.requestID, request.kind, request.target, request.status.rawValue, request.requestedBy,
                                         request.requestedAt.description, request.decidedBy ?? "", request.decidedAt?.description ?? ""])
                }
                let file = try OutputFile(path: "-")
                try file.write(buffer)
                try file.commit()
            }
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The append-only audit log of every write (CLI, HTTP, demo).",
        subcommands: [Export.self]
    )

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit log as CSV: sequence,at,actor,channel,action,target,request_id,outcome,detail.",
            discussion: "Examples:\n  lending audit export -o audit.csv\n  lending audit export --after 1200"
        )

        @Option(name: .shortAndLong, help: "The CSV to write, or - for standard output.")
        var output: String = "-"

        @Option(name: .long, help: "Only records numbered after this.")
        var after: Int64 = 0

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try reporting {
                let (store, _) = try database.open()
                let file = try OutputFile(path: output)
                var buffer = CSVOutputBuffer()
                buffer.appendRecord(["sequence", "at", "actor", "channel", "action", "target", "request_id", "outcome", "detail"])
                var position = after
                while true {
                    let page = try store.auditRecords(after: position, limit: 10_000)
                    guard let last = page.last else { break }
                    position = last.sequence
                    for record in page {
                        buffer.appendRecord([String(record.sequence), record.at.description, record.actor, record.channel, record.action,
                                             record.target, record.requestID, record.outcome, record.detail])
                    }
                    try file.write(buffer)
                    buffer.removeAll()
                }
                try file.write(buffer)
                try file.commit()
            }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Detail exports as CSV: loans, schedules, repayments, journal, actions, outcomes, decisions.",
        discussion: """
            Money in yuan, dates ISO 8601. Personal data (name, ID number, phone) appear only in \
            decisions, only with --personal-data, and only for an operator with the admin role in \
            the operators file (--operators FILE or $LENDING_OPERATORS: lines NAME ROLES, roles \
            comma-separated). The export is written atomically.

            Examples:
              lending export loans -o loans.csv
              lending export journal -o journal.csv
              lending export decisions --personal-data --operator "Li Wei" \\
                  --operators operators.txt -o decisions.csv
            """
    )

    @Argument(help: "loans, schedules, repayments, journal, actions, outcomes or decisions.")
    var kind: String

    @Option(name: .shortAndLong, help: "The CSV to write, or - for standard output.")
    var output: String = "-"

    @Flag(name: .customLong("personal-data"), help: "Add the applicant's name, ID number and phone to decisions (admin only).")
    var personalData = false

    @Option(name: .long, help: "The operators file (NAME ROLES per line); default: $LENDING_OPERATORS.")
    var operators: String?

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard let parsed = DetailExport.Kind(rawValue: kind) else {
            throw ValidationError("the kind must be one of \(DetailExport.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if personalData && parsed != .decisions { throw ValidationError("--personal-data applies to the decisions export only") }
    }

    func run() throws {
        try reporting {
            if personalData { try checkAdmin() }
            let (store, protector) = personalData ? try database.open(writing: "export.personal_data", target: kind) : try database.open()
            let file = try OutputFile(path: output)
            try DetailExport(kind: DetailExport.Kind(rawValue: kind)!, personalData: personalData, products: try products.load())
                .write(store: store, protector: protector) { bytes in try bytes.withUnsafeBytes { try file.write($0) } }
            try file.commit()
        }
    }

    /// The operator must hold `admin` in the operators file.
    func checkAdmin() throws {
        guard let path = operators ?? ProcessInfo.processInfo.environment["LENDING_OPERATORS"] else {
            throw LendingError(code: "export.operators", message: "--personal-data needs an operators file naming you with the admin role: pass --operators FILE or set LENDING_OPERATORS")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LendingError(code: "export.operators", message: "cannot read the operators file; check the path", file: path)
        }
        let me = database.actor
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2, words[0...].dropLast().joined(separator: " ") == me else { continue }
            if words.last!.split(separator: ",").contains("admin") { return }
        }
        throw LendingError(code: "export.forbidden", message: "operator \(clippedForMessage(me)) lacks the admin role in the operators file; personal data is exported by admins only", file: path)
    }
}

struct WriteOff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-off",
        abstract: "Ask for a loan's write-off; a second person approves it (lending approvals decide write_off:LOAN approve).",
        discussion: """
            Nothing is written off until a different person approves: the request waits in \
            lending approvals list. Approved, the loan is written off through the ledger as of its \
            last end of day, its collections ladder closed and its credit line frozen.

            Example:
              lending loans write-off A7-0000123 --reason "deceased, no estate" --by "Li Wei"
            """
    )

    @Argument(help: "The loan id.")
    var loanID: String

    @Option(name: .long, help: "Why (1 to 200 characters, no personal data).")
    var reason: String

    @Option(name: .long, help: "Who asks (recorded with the request and in the audit log).")
    var by: String

    @OptionGroup var products: ProductOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reporting {
            let (store, _) = try database.open(writing: "loans.write_off", target: loanID, actor: by)
            let desk = WriteOffDesk(products: try products.load())
            let request = try store.withCollectionsTransaction { try desk.request(loanID: loanID, reason: reason, by: by, at: now(), in: $0) }
            print("\(request.requestID),\(request.status.rawValue)")
        }
    }
}
