import Foundation
import LendingCSV
import LendingCollections
import LendingDisbursement
import LendingModel
import LendingScoring
import LendingServicing
import LendingSimulation
import LendingStorePorts
import LendingApplications
import LendingLoanBook
import LendingPostLoan

/// What `lending demo` does, the whole lifecycle on one embedded database in a directory:
///
/// 1. generates applications with labelled fraud and each applicant's true credit risk
///    (``ApplicationGenerator``), a customer base and a blacklist;
/// 2. builds a whitelist from the customer base with the credit model and imports it, imports
///    the blacklist;
/// 3. decides the applications (``ApplyJob``: identity, whitelist, fraud, German Credit score);
/// 4. signs the approved ones (``AgreementJob``);
/// 5. then one business day at a time, for a year: pays out what was signed or drawn
///    (``DisburseJob`` over the rail), lets ``RepaymentSimulator`` decide what each borrower
///    pays, says to the day's collection contacts and draws, posts that through the commands'
///    own units (``RepaymentPoster``, ``OutcomeRecorder``, ``DrawTaker``), and runs end of day
///    with post-loan (``EndOfDayJob`` + ``PostLoanJob``);
/// 6. writes the portfolio report.
///
/// Deterministic for a seed (the rail never fails here).
public struct DemoJob {
    public var directory: String
    public var applications: Int
    public var seed: UInt64
    public var start: CalendarDay
    /// Days over which applications arrive.
    public var applicationDays: Int
    /// Business days simulated from `start` (applications included).
    public var days: Int
    public var products: ProductCatalog
    public var policy: LendingPolicy
    public var engine: CollectionEngine
    public var collectionScorer: CollectionScorer
    public var behaviour: RepaymentBehaviourModel
    /// Invite the customer base at or above this credit score.
    public var minimumScore: Double
    /// Write training rows for the collection model here: the collection features of every
    /// overdue loan every 7th day, and `still_overdue_30d` (1 when the loan is overdue or
    /// written off 30 days later, 0 when it is current or paid off).
    public var collectionFeaturesPath: String?
    /// Called after each day's end of day (tests check the book's invariants here).
    public var afterDay: ((CalendarDay) throws -> Void)?
    /// The operator the audit log records for the run's writes.
    public var operatorName = "demo"

    public init(directory: String, applications: Int = 6_000, seed: UInt64 = 2026,
                start: CalendarDay = CalendarDay(year: 2026, month: 1, day: 1)!, applicationDays: Int = 90, days: Int = 365,
                products: ProductCatalog = .standard, policy: LendingPolicy = .standard, engine: CollectionEngine,
                collectionScorer: CollectionScorer, behaviour: RepaymentBehaviourModel = .standard, minimumScore: Double = 420) {
        self.directory = directory
        self.applications = applications
        self.seed = seed
        self.start = start
        self.applicationDays = applicationDays
        self.days = days
        self.products = products
        self.policy = policy
        self.engine = engine
        self.collectionScorer = collectionScorer
        self.behaviour = behaviour
        self.minimumScore = minimumScore
    }

    /// The files the demo leaves in its directory.
    public var databasePath: String { directory + "/lending.sqlite" }
    /// The database as the summary shows it (the SQLite path, or a PostgreSQL URL without its password).
    public var databaseName: String?
    public var railPath: String { directory + "/rail.sqlite" }
    public var reportPath: String { directory + "/portfolio.html" }
    public var lastDay: CalendarDay { start.adding(days: days - 1) }

    public struct Summary: Sendable {
        public var applications = 0
        public var approved = 0
        public var declined = 0
        public var review = 0
        public var loans = 0
        public var lines = 0
        public var draws = 0
        public var disbursed = Money.zero
        public var repaid = Money.zero
        public var payments = 0
        public var outcomes = 0
        public var actions = 0
        public var writeOffs = 0
        public var writtenOffPrincipal = Money.zero
        /// Paid after a contact, within the recovery window (last touch), by the report's rule
        /// (pre-due reminders included).
        public var recoveredAfterContact = Money.zero
        /// Paid on loans that were past due when they paid (write-offs apart).
        public var recoveredOverdue = Money.zero
        /// Paid on loans already written off.
        public var recoveredAfterWriteOff = Money.zero
        public var linesFrozen = 0
        public var linesReduced = 0
        public var report: PortfolioReport?
        public var seconds = 0.0
        /// Where the time went: generation to signing, payouts, reading the book and simulating,
        /// posting the day's payments, outcomes and draws, end of day (servicing), post-loan.
        public var phases: [String: Double] = [:]

        public var approvalRate: Double { applications > 0 ? Double(approved) / Double(applications) : 0 }
    }

    /// Runs the demo.
    /// - Parameters:
    ///   - store: the database (decisions, servicing and collections in one).
    ///   - rail: the payment rail.
    ///   - protector: the database's personal-data key.
    ///   - creditModel: the credit scorecard (German Credit).
    ///   - progress: told a line at each stage and every 30 days.
    public func run(store: any DecisionStore & CollectionsStore & AuditLog & ApprovalReading, rail: any PaymentRail, protector: PersonalDataProtector, creditModel: Scorer,
                    progress: (String) -> Void) throws -> Summary {
        let started = monotonicSeconds()
        var summary = Summary()
        let files = directory + "/"
        // Every write of the run goes to the audit log, as the CLI's would: the operator, the step,
        // the simulated time (the business day's local noon; the setup the day before the start).
        var audited = 0
        func audit(_ action: String, on day: CalendarDay, target: String = "", _ detail: String) throws {
            audited += 1
            let noon = Instant(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400 + 12 * 3_600 - policy.utcOffsetSeconds)
            try store.appendAudit([AuditRecord(at: noon, actor: operatorName, channel: "demo", action: action, target: target,
                                               requestID: "demo-\(seed)-\(audited)", outcome: "ok", detail: detail)])
        }

        // 1. Data.
        let configuration = GeneratorConfiguration(count: applications, seed: seed, fraudShare: 0.05, start: start, days: applicationDays,
                                                   idPrefix: "D\(seed)-")
        let dataset = try ApplicationGenerator.generate(configuration)
        try SyntheticDataWriter.write(.applications, of: dataset, to: files + "applications.csv")
        try SyntheticDataWriter.write(.truth, of: dataset, to: files + "truth.csv")
        try SyntheticDataWriter.write(.population, of: dataset, to: files + "population.csv")
        try SyntheticDataWriter.write(.blacklist, of: dataset, to: files + "blacklist.csv")
        summary.applications = dataset.applications.count
        progress("generated \(dataset.applications.count) applications (\(dataset.truth.filter(\.label.isFraud).count) fraud, \(dataset.truth.filter(\.creditBad).count) with a bad credit row)")

        // 2. Whitelist and blacklist.
        let invited = try WhitelistBuildJob(populationPath: files + "population.csv", outputPath: files + "whitelist.csv",
                                            minimumScore: minimumScore, asOf: start.adding(days: -1), policy: policy).run(scorer: creditModel)
        let imported = try WhitelistImportJob(path: files + "whitelist.csv", policy: policy).run(store: store, protector: protector)
        try audit("whitelist.import", on: start.adding(days: -1), "\(imported.imported) invitations")
        let blacklisted = try BlacklistImportJob(path: files + "blacklist.csv").run(store: store, protector: protector)
        try audit("blacklist.import", on: start.adding(days: -1), "\(blacklisted.imported) entries")
        progress("invited \(invited.invited) of \(invited.rows) customers (credit score ≥ \(Int(minimumScore))); blacklist imported")

        // 3. Decisions.
        let processor = try ApplicationProcessor(policy: policy, scorer: creditModel,
                                                 fraudModel: try policy.loadFraudModel(relativeTo: FileManager.default.currentDirectoryPath),
                                                 protector: protector, store: store)
        let decided = try ApplyJob(inputPath: files + "applications.csv", outputPath: files + "decisions.csv").run(processor: processor, store: store)
        summary.approved = decided.approved
        summary.declined = decided.declined
        summary.review = decided.review
        try audit("apply", on: start.adding(days: -1), "\(decided.rows) rows, \(decided.approved) approved, \(decided.review) review, \(decided.declined) declined")
        progress("decided: \(decided.approved) approved, \(decided.review) to review (left undecided), \(decided.declined) declined")

        // 4. Agreements.
        let signed = try AgreementJob(products: products, protector: protector, utcOffsetSeconds: policy.utcOffsetSeconds).run(.allApproved, store: store)
        summary.loans = signed.loans
        summary.lines = signed.lines
        try audit("sign", on: start.adding(days: -1), "\(signed.loans) loans, \(signed.lines) lines")
        progress("signed \(signed.loans) installment loans and \(signed.lines) credit lines")

        summary.phases["setup"] = monotonicSeconds() - started

        // 5. The year, day by day.
        var simulator = RepaymentSimulator(seed: seed, model: behaviour)
        var truthByID: [String: TruthRecord] = [:]
        for record in dataset.truth { truthByID[record.applicationID] = record }
        var known = Set<String>()
        let offset = Int(policy.utcOffsetSeconds)
        var featureRows = CSVOutputBuffer()
        featureRows.appendRecord(["loan_id", "day"] + CollectionFeatures.names + ["still_overdue_30d"])
        var pendingFeatures: [CalendarDay: [String: CollectionFeatures]] = [:]
        for dayIndex in 0..<days {
            let day = start.adding(days: dayIndex)
            var clock = monotonicSeconds()
            func lap(_ phase: String) {
                let now = monotonicSeconds()
                summary.phases[phase, default: 0] += now - clock
                clock = now
            }
            let paidOut = try DisburseJob(asOf: day, products: products, protector: protector).run(store: store, rail: rail)
            try audit("disburse", on: day, target: day.description, "\(paidOut.sent) payouts sent")
            lap("payouts")
            // What the borrowers see today.
            if let labelling = pendingFeatures.removeValue(forKey: day.adding(days: -30)) {
                try store.forEachLoan { loan in
                    guard let features = labelling[loan.loanID], let state = loan.state else { return }
                    let bad = state.status == .writtenOff || (state.status == .active && state.daysPastDue > 0)
                    let values = features.row
                    featureRows.appendRecord([loan.loanID, day.adding(days: -30).description] + CollectionFeatures.names.map { values[$0] ?? "" } + [bad ? "1" : "0"])
                }
            }
            let loans = try store.readCollections { transaction -> [RepaymentSimulator.LoanView] in
                var loans: [RepaymentSimulator.LoanView] = []
                try transaction.forEachActiveLoanBatch(notProcessedThrough: day.adding(days: 1)) { rows in
                    for index in 0..<rows.count {
                        let state = try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index])
                        // The borrower is the application: an installment loan's id, a draw's line.
                        let borrower = state.lineID ?? state.loanID
                        var dueToday = Money.zero
                        if state.nextDueIndex < state.installments.count, state.installments[state.nextDueIndex].dueDate == day {
                            dueToday = state.installments[state.nextDueIndex].amountDue
                        }
                        loans.append(.init(loanID: state.loanID, borrowerID: borrower, dueToday: dueToday, overdue: LoanFigures.overdueAmount(state),
                                           daysPastDue: state.daysPastDue))
                    }
                }
                return loans
            }
            for loan in loans where known.insert(loan.borrowerID).inserted {
                if let truth = truthByID[loan.borrowerID] {
                    simulator.addBorrower(loan.borrowerID, risk: .init(creditBad: truth.creditBad, fraud: truth.label.isFraud))
                }
            }
            let (contacts, lines, contactKeys) = try store.readCollections { transaction -> ([RepaymentSimulator.Contact], [RepaymentSimulator.LineView], [String: String]) in
                // In time order: a conversation forbids the person's later calls, on every loan.
                let planned = try transaction.actions(plannedOn: day.adding(days: -1)).enumerated()
                    .sorted { ($0.element.scheduledAt, $0.offset) < ($1.element.scheduledAt, $1.offset) }.map(\.element)
                let contacts = planned.compactMap { action -> RepaymentSimulator.Contact? in
                    let kind: RepaymentSimulator.Contact.Kind
                    switch action.action {
                    case .reminder, .sms: kind = .message
                    case .voiceBot: kind = .bot
                    case .agentCall, .outsourcedCall: kind = .call
                    case .fieldVisit: kind = .visit
                    case .legal: kind = .letter
                    case .bureauReport, .insuranceClaim, .writeOff: return nil
                    }
                    return .init(loanID: action.loanId, action: action.action.rawValue, kind: kind, at: action.scheduledAt)
                }
                let lines = try transaction.allLines().map { stored in
                    RepaymentSimulator.LineView(lineID: stored.line.lineID, borrowerID: stored.applicationID, limit: stored.line.limit,
                                                available: stored.line.available, frozen: stored.line.frozen)
                }
                return (contacts, lines, try transaction.contactKeys(sharingPersonWith: Array(Set(planned.map(\.loanId)))))
            }
            for line in lines where known.insert(line.borrowerID).inserted {
                if let truth = truthByID[line.borrowerID] {
                    simulator.addBorrower(line.borrowerID, risk: .init(creditBad: truth.creditBad, fraud: truth.label.isFraud))
                }
            }
            // The executor asks again before each call: a conversation earlier the same day forbids
            // the day's later attempts of the person, on all their loans (the planner could not know
            // of it), which are cancelled.
            var sameDay = ContactHistory(strategy: engine.strategy, contactKeys: contactKeys)
            let today = simulator.simulate(day: day, loans: loans, contacts: contacts, lines: lines, dial: { contact in
                guard let action = CollectionAction(rawValue: contact.action), sameDay.isCall(action) else { return true }
                return sameDay.callBlock(loanId: contact.loanID, at: contact.at) == nil
            }, heard: { outcome in
                guard let action = CollectionAction(rawValue: outcome.action), let result = ContactResult(rawValue: outcome.result) else { return }
                sameDay.record(ContactOutcome(loanId: outcome.loanID, action: action, happenedAt: outcome.at, result: result))
            })
            lap("simulation")
            let overdueLoans = Set(loans.lazy.filter { $0.daysPastDue > 0 }.map(\.loanID))
            summary.actions += contacts.count
            summary.actions -= today.cancelled.count
            try store.withCollectionsTransaction { transaction in
                if !today.cancelled.isEmpty {
                    try transaction.cancel(today.cancelled.compactMap { contact in
                        CollectionAction(rawValue: contact.action).map { (contact.loanID, $0, contact.at) }
                    }, reason: "a conversation earlier the same day")
                }
                let taker = DrawTaker(products: products)
                for draw in today.draws {
                    do {
                        _ = try taker.take(CreditLine.DrawRequest(drawID: draw.drawID, amount: draw.amount, months: draw.months, date: day),
                                           lineID: draw.lineID, in: transaction)
                        summary.draws += 1
                    } catch is ServicingRequestError {
                        // A refused draw (frozen, over the limit) is the borrower's problem, not the demo's.
                    }
                }
                let poster = RepaymentPoster(products: products)
                for payment in today.payments {
                    if case .applied = try poster.post(Payment(id: payment.paymentID, loanID: payment.loanID, date: day, amount: payment.amount),
                                                       in: transaction) {
                        summary.payments += 1
                        summary.repaid += payment.amount
                        if overdueLoans.contains(payment.loanID) { summary.recoveredOverdue += payment.amount }
                    }
                }
                let recorder = OutcomeRecorder(strategy: engine.strategy, utcOffsetSeconds: offset)
                for outcome in today.outcomes {
                    guard let action = CollectionAction(rawValue: outcome.action), let result = ContactResult(rawValue: outcome.result) else { continue }
                    _ = try recorder.record(ContactOutcome(loanId: outcome.loanID, action: action, happenedAt: outcome.at, result: result,
                                                           promiseDate: outcome.promiseDate, promiseAmount: outcome.promiseAmount), in: transaction)
                    summary.outcomes += 1
                }
            }
            try audit("posting", on: day, target: day.description,
                      "\(today.draws.count) draws, \(today.payments.count) payments, \(today.outcomes.count) outcomes, \(today.cancelled.count) cancelled")
            lap("posting")
            var endOfDay = CloseOfDayJob(endOfDay: EndOfDayJob(asOf: day, products: products))
            endOfDay.postLoan = PostLoanJob(asOf: day, products: products, engine: engine, scorer: collectionScorer, utcOffsetSeconds: offset)
            endOfDay.postLoan?.collectFeatures = collectionFeaturesPath != nil && dayIndex % 7 == 0
            let closed = try endOfDay.run(store: store)
            try audit("eod", on: day, target: day.description, "\(closed.postLoan?.loansInCollections ?? 0) in collections")
            if let features = closed.postLoan?.features, !features.isEmpty { pendingFeatures[day] = features }
            lap("end of day")
            summary.phases["post-loan", default: 0] += closed.postLoan?.seconds ?? 0
            summary.phases["end of day", default: 0] -= closed.postLoan?.seconds ?? 0
            if let postLoan = closed.postLoan {
                summary.writeOffs += postLoan.writeOffs
                summary.writtenOffPrincipal += postLoan.writtenOffPrincipal
                summary.linesFrozen += postLoan.linesFrozen
                summary.linesReduced += postLoan.linesReduced
            }
            try afterDay?(day)
            if dayIndex % 30 == 29 || dayIndex == days - 1 {
                let inCollections = closed.postLoan?.loansInCollections ?? 0
                progress("day \(dayIndex + 1)/\(days) \(day): \(loans.count) active loans, \(inCollections) in collections, \(summary.payments) payments, \(summary.writeOffs) written off")
            }
        }

        if let collectionFeaturesPath {
            let file = try OutputFile(path: collectionFeaturesPath)
            try file.write(featureRows)
            try file.commit()
        }

        // 6. The report.
        let report = try PortfolioReportJob(asOf: lastDay, outputPath: reportPath, strategy: engine.strategy,
                                            title: "lending demo: \(summary.loans) loans and \(summary.lines) credit lines, \(start) to \(lastDay)",
                                            highlights: [("Recovered from overdue loans", summary.recoveredOverdue.yuanString),
                                                         ("Written off in the year", "\(summary.writeOffs) loans, \(summary.writtenOffPrincipal.yuanString)")])
            .run(store: store)
        summary.report = report
        summary.recoveredAfterContact = report.collections.reduce(Money.zero) { $0 + $1.recovered }
        summary.disbursed = try store.readCollections { try $0.paidOutTotals().principal }
        try store.forEachLoan { loan in
            if let state = loan.state, state.status == .writtenOff { summary.recoveredAfterWriteOff += state.recovered }
        }
        summary.seconds = monotonicSeconds() - started
        return summary
    }
}
