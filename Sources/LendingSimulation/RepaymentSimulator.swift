import LendingModel

/// How a borrower's true risk turns into repayment behaviour (the default rates are documented
/// in docs/demo.md). Probabilities are per event: per due date, per day, per contact.
public struct RepaymentBehaviourModel: Sendable, Hashable {
    /// Monthly chance that a paying borrower falls into distress (stops paying), for a borrower
    /// whose German Credit row was good and one whose row was bad.
    public var monthlyDistressGood = 0.006
    public var monthlyDistressBad = 0.04
    /// A fraudster who got a loan never pays, with this chance.
    public var fraudNeverPays = 0.9
    /// Chance of paying an installment on its due date (otherwise some days late).
    public var onTimeGood = 0.94
    public var onTimeBad = 0.78
    /// Mean days late of a late installment (geometric, at least 1).
    public var meanDaysLate = 6.0
    /// Daily chance that a distressed borrower recovers by himself and pays what is overdue.
    public var dailySelfCureGood = 0.012
    public var dailySelfCureBad = 0.004
    /// Chance that a call or visit reaches the borrower (paying / distressed).
    public var answerPaying = 0.6
    public var answerDistressed = 0.35
    /// Chance that a conversation ends in a promise to pay (late payer / distressed).
    public var promiseLate = 0.55
    public var promiseDistressed = 0.3
    /// Chance that a distressed borrower keeps a promise (good / bad row).
    public var keepGood = 0.65
    public var keepBad = 0.4
    /// After a kept promise, the chance the distressed borrower is back to paying.
    public var recoverAfterKept = 0.5
    /// Chance that an SMS, reminder or voice bot brings a late payment forward (by 1–3 days).
    public var nudge = 0.3
    /// Chance that a legal letter makes a distressed borrower pay.
    public var legalCure = 0.08
    /// Chance that a distressed borrower pays only half of what is due (a partial payment).
    public var partialShare = 0.25
    /// Daily chance that a credit line with room draws, and the share of the limit drawn.
    public var dailyDraw = 0.02
    public var drawShare = 0.2...0.6

    public init() {}

    /// The documented default.
    public static let standard = RepaymentBehaviourModel()
}

/// A simulated borrower's repayment day by day, driven by the borrower's true risk (the
/// generator's `credit_bad` and fraud label) and by the collections contacts he receives.
///
/// Pure and deterministic for a seed: the caller passes each day's loans (what is due, what is
/// overdue) and the contacts of the day (the action log), and gets the payments, the contacts'
/// outcomes and the draws on credit lines, which it posts through the ordinary jobs.
public struct RepaymentSimulator: Sendable {
    /// A borrower's true risk.
    public struct Risk: Sendable, Hashable {
        public var creditBad: Bool
        public var fraud: Bool

        public init(creditBad: Bool, fraud: Bool) {
            self.creditBad = creditBad
            self.fraud = fraud
        }
    }

    /// One loan on a day, before the day's payments.
    public struct LoanView: Sendable, Hashable {
        public var loanID: String
        /// The borrower (the application id; a line's draws share it).
        public var borrowerID: String
        /// The installment (principal + interest) that falls due today, zero if none.
        public var dueToday: Money
        /// Principal, interest and penalty fallen due and unpaid.
        public var overdue: Money
        public var daysPastDue: Int

        public init(loanID: String, borrowerID: String, dueToday: Money, overdue: Money, daysPastDue: Int) {
            self.loanID = loanID
            self.borrowerID = borrowerID
            self.dueToday = dueToday
            self.overdue = overdue
            self.daysPastDue = daysPastDue
        }
    }

    /// A credit line on a day.
    public struct LineView: Sendable, Hashable {
        public var lineID: String
        public var borrowerID: String
        public var limit: Money
        public var available: Money
        public var frozen: Bool

        public init(lineID: String, borrowerID: String, limit: Money, available: Money, frozen: Bool) {
            self.lineID = lineID
            self.borrowerID = borrowerID
            self.limit = limit
            self.available = available
            self.frozen = frozen
        }
    }

    /// A contact made today (a row of the action log).
    public struct Contact: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// SMS, reminder, app message.
            case message
            /// A voice bot: answered, it talks but takes no promise.
            case bot
            /// An agent's or an agency's call.
            case call
            case visit
            case letter
        }

        public var loanID: String
        /// The action's name (`agent_call`), echoed in the outcome.
        public var action: String
        public var kind: Kind
        public var at: Instant

        public init(loanID: String, action: String, kind: Kind, at: Instant) {
            self.loanID = loanID
            self.action = action
            self.kind = kind
            self.at = at
        }
    }

    public struct Payment: Sendable, Hashable {
        public var paymentID: String
        public var loanID: String
        public var amount: Money
    }

    /// An outcome, with the result named as in OUTCOMES.csv.
    public struct Outcome: Sendable, Hashable {
        public var loanID: String
        public var action: String
        public var at: Instant
        /// `contacted`, `no_answer`, `wrong_number`, `promise_to_pay`.
        public var result: String
        public var promiseDate: CalendarDay?
        public var promiseAmount: Money?
    }

    public struct Draw: Sendable, Hashable {
        public var drawID: String
        public var lineID: String
        public var amount: Money
        public var months: Int
    }

    public struct Day: Sendable {
        /// Contacts not made: the executor's `dial` said no (a conversation earlier that day).
        public var cancelled: [Contact] = []
        public var payments: [Payment] = []
        public var outcomes: [Outcome] = []
        public var draws: [Draw] = []
    }

    struct Borrower {
        var risk: Risk
        var distressed = false
        var neverPays = false
        /// The day each late loan will be paid.
        var payOn: [String: CalendarDay] = [:]
        /// An open promise per loan: pay `amount` on `day` if `keeps`.
        var promises: [String: (day: CalendarDay, keeps: Bool)] = [:]
        var draws = 0
    }

    public let model: RepaymentBehaviourModel
    private var random: SplitMix64
    private var borrowers: [String: Borrower] = [:]
    private var paymentNumber = 0

    public init(seed: UInt64, model: RepaymentBehaviourModel = .standard) {
        self.model = model
        var mixer = SplitMix64(seed: seed ^ 0x5EED_0F_0AE5)
        _ = mixer.next()
        random = SplitMix64(seed: mixer.next())
    }

    /// Adds a borrower with his true risk (before his first day).
    public mutating func addBorrower(_ id: String, risk: Risk) {
        var borrower = Borrower(risk: risk)
        borrower.neverPays = risk.fraud && unit() < model.fraudNeverPays
        borrowers[id] = borrower
    }

    /// Whether the simulator has ever marked the borrower as distressed or non-paying (for tests).
    public func isDistressed(_ id: String) -> Bool { borrowers[id].map { $0.distressed || $0.neverPays } ?? false }

    /// One day: contacts first (their outcomes, promises and nudges), then who pays what, then draws.
    /// - Parameters:
    ///   - day: the business date.
    ///   - loans: the active loans, in a stable order (the order is part of the determinism).
    ///   - contacts: today's contacts, in a stable order.
    ///   - lines: the credit lines, in a stable order.
    ///   - dial: asked just before each contact is made (the executor's last check of the contact
    ///     rules); `false` cancels it.
    ///   - heard: told each outcome as it happens (so `dial` can see a conversation earlier that day).
    public mutating func simulate(day: CalendarDay, loans: [LoanView], contacts: [Contact], lines: [LineView],
                                  dial: (Contact) -> Bool = { _ in true }, heard: (Outcome) -> Void = { _ in }) -> Day {
        var result = Day()
        var borrowerOfLoan: [String: String] = [:]
        var overdueOfLoan: [String: Money] = [:]
        for loan in loans {
            borrowerOfLoan[loan.loanID] = loan.borrowerID
            overdueOfLoan[loan.loanID] = loan.overdue
        }
        for contact in contacts {
            guard let id = borrowerOfLoan[contact.loanID], var borrower = borrowers[id] else { continue }
            guard dial(contact) else {
                result.cancelled.append(contact)
                continue
            }
            let before = result.outcomes.count
            contactBorrower(&borrower, contact, day: day, overdue: overdueOfLoan[contact.loanID] ?? .zero, into: &result.outcomes)
            borrowers[id] = borrower
            for outcome in result.outcomes[before...] { heard(outcome) }
        }
        var distressChecked = Set<String>()
        for loan in loans {
            guard var borrower = borrowers[loan.borrowerID] else { continue }
            if distressChecked.insert(loan.borrowerID).inserted {
                let monthly = borrower.risk.creditBad ? model.monthlyDistressBad : model.monthlyDistressGood
                if !borrower.distressed, unit() < monthly / 30 { borrower.distressed = true }
                if borrower.distressed, !borrower.neverPays,
                   unit() < (borrower.risk.creditBad ? model.dailySelfCureBad : model.dailySelfCureGood) {
                    borrower.distressed = false
                    for key in borrower.payOn.keys { borrower.payOn[key] = day }
                }
            }
            if let amount = pay(&borrower, loan, day: day) {
                paymentNumber += 1
                result.payments.append(Payment(paymentID: "SIM-\(day)-\(paymentNumber)", loanID: loan.loanID, amount: amount))
            }
            borrowers[loan.borrowerID] = borrower
        }
        for line in lines where !line.frozen && line.available.fen >= 50_000 {
            guard var borrower = borrowers[line.borrowerID], !borrower.distressed, !borrower.neverPays, unit() < model.dailyDraw else { continue }
            let share = model.drawShare.lowerBound + unit() * (model.drawShare.upperBound - model.drawShare.lowerBound)
            let wanted = Int64(Double(line.limit.fen) * share) / 10_000 * 10_000
            let amount = Money(fen: min(max(wanted, 50_000), line.available.fen / 10_000 * 10_000))
            guard amount.fen > 0 else { continue }
            borrower.draws += 1
            borrowers[line.borrowerID] = borrower
            result.draws.append(Draw(drawID: "\(line.lineID)-D\(borrower.draws)", lineID: line.lineID, amount: amount, months: [3, 6, 12][Int(unit() * 3)]))
        }
        return result
    }

    /// What a loan's borrower pays today, if anything.
    private mutating func pay(_ borrower: inout Borrower, _ loan: LoanView, day: CalendarDay) -> Money? {
        if borrower.neverPays { return nil }
        // Enough to be current after today's penalty: the margin prepays principal.
        let owed = loan.overdue + loan.dueToday
        guard owed.fen > 0 else { return nil }
        let margin = Money(fen: max(100, owed.fen / 100))
        if let promise = borrower.promises[loan.loanID], promise.day <= day {
            borrower.promises[loan.loanID] = nil
            if promise.keeps {
                if borrower.distressed, unit() < model.recoverAfterKept { borrower.distressed = false }
                borrower.payOn[loan.loanID] = nil
                return owed + margin
            }
        }
        if borrower.distressed {
            if loan.dueToday.fen > 0, unit() < model.partialShare, !borrower.risk.fraud {
                return Money(fen: loan.dueToday.fen / 2)
            }
            return nil
        }
        if loan.dueToday.fen > 0, borrower.payOn[loan.loanID] == nil {
            let onTime = borrower.risk.creditBad ? model.onTimeBad : model.onTimeGood
            if unit() < onTime, loan.overdue.fen == 0 { return owed + margin }
            borrower.payOn[loan.loanID] = day.adding(days: geometric(mean: model.meanDaysLate))
            return nil
        }
        if let payDay = borrower.payOn[loan.loanID] {
            guard payDay <= day else { return nil }
            borrower.payOn[loan.loanID] = nil
            return owed + margin
        }
        // Overdue with no plan (after distress ended): pay now.
        return loan.overdue.fen > 0 ? owed + margin : nil
    }

    private mutating func contactBorrower(_ borrower: inout Borrower, _ contact: Contact, day: CalendarDay, overdue: Money,
                                          into outcomes: inout [Outcome]) {
        let paying = !borrower.distressed && !borrower.neverPays
        func outcome(_ result: String, promise: CalendarDay? = nil, amount: Money? = nil) {
            outcomes.append(Outcome(loanID: contact.loanID, action: contact.action, at: contact.at, result: result, promiseDate: promise,
                                    promiseAmount: amount))
        }
        switch contact.kind {
        case .message:
            if paying, let payDay = borrower.payOn[contact.loanID], payDay > day, unit() < model.nudge {
                borrower.payOn[contact.loanID] = max(day, payDay.adding(days: -(1 + Int(unit() * 3))))
            }
        case .letter:
            if borrower.distressed, !borrower.neverPays, unit() < model.legalCure {
                borrower.distressed = false
                borrower.payOn[contact.loanID] = day
            }
        case .bot, .call, .visit:
            if unit() < 0.02 {
                outcome("wrong_number")
                return
            }
            let answer = paying ? model.answerPaying : model.answerDistressed
            guard unit() < answer else {
                outcome("no_answer")
                return
            }
            if contact.kind == .bot {
                outcome("contacted")
                if paying, let payDay = borrower.payOn[contact.loanID], payDay > day, unit() < model.nudge {
                    borrower.payOn[contact.loanID] = day.adding(days: 1)
                }
                return
            }
            let promiseChance = paying ? model.promiseLate : model.promiseDistressed
            guard overdue.fen > 0, unit() < promiseChance else {
                outcome("contacted")
                return
            }
            let promiseDay = day.adding(days: 1 + Int(unit() * 5))
            let keeps: Bool
            if borrower.neverPays {
                keeps = false
            } else if paying {
                keeps = unit() < 0.9
            } else {
                keeps = unit() < (borrower.risk.creditBad ? model.keepBad : model.keepGood)
            }
            borrower.promises[contact.loanID] = (promiseDay, keeps)
            if paying, keeps { borrower.payOn[contact.loanID] = promiseDay }
            outcome("promise_to_pay", promise: promiseDay, amount: overdue)
        }
    }

    private mutating func unit() -> Double { Double(random.next() >> 11) * 0x1p-53 }

    /// At least 1, geometric with the given mean.
    private mutating func geometric(mean: Double) -> Int {
        let p = 1 / max(mean, 1)
        var days = 1
        while unit() > p, days < 60 { days += 1 }
        return days
    }
}
