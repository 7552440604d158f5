import LendingLedger
import LendingModel
import LendingServicing
import Testing

/// Randomized lifecycles: many seeds, random products, end-of-day runs, payments and write-offs,
/// every entry posted to a ledger and sealed into a hash chain.
@Suite struct InvariantTests {
    struct Lifecycle {
        var random: SplitMix64
        let terms: ProductTerms
        var state: LoanState
        var ledger: LedgerBalances
        var chain = JournalChain()
        var sealed: [SealedEntry] = []
        var cashReceived = Money.zero
        var allocated = Money.zero
        var paymentCount = 0
        /// One borrower in four hardly ever pays, so loans go deep past due and get written off.
        let payer: Bool

        init(seed: UInt64) throws {
            random = SplitMix64(seed: seed)
            payer = seed % 4 != 0
            let terms = ProductTerms(
                method: random.next() % 2 == 0 ? .equalInstallment : .equalPrincipal,
                apr: AnnualRate(partsPerMillion: Int64(random.next() % 360_001)),
                dayCount: random.next() % 3 == 0 ? .actual360 : .actual365,
                graceDays: Int(random.next() % 6), nonAccrualAfterDays: Int(5 + random.next() % 60),
                allocation: random.next() % 2 == 0 ? .oldestInstallmentFirst : .penaltyThenInterestThenPrincipal,
                overpayment: random.next() % 2 == 0 ? .prepay : .suspense)
            self.terms = terms
            let principal = Money(fen: Int64(10_000 + random.next() % 5_000_000))
            let start = CalendarDay(daysSinceEpoch: 20_400 + Int(random.next() % 800))
            let opened = try Servicing.disburse(loanID: "L\(seed)", principal: principal, months: Int(1 + random.next() % 12), on: start, terms: terms)
            state = opened.state
            ledger = LedgerBalances()
            try post([opened.entry])
        }

        mutating func post(_ entries: [JournalEntry]) throws {
            for entry in entries {
                ledger.post(entry)
                sealed.append(try chain.seal(entry))
            }
        }

        /// Advances by a random number of days, sometimes paying or writing off; checks invariants.
        mutating func step() throws {
            let asOf = state.processedThrough.adding(days: Int(1 + random.next() % 9))
            let roll = random.next() % 100
            switch roll {
            case 0..<(payer ? 30 : 3):
                let amount: Money
                switch random.next() % 4 {
                case 0: amount = Money(fen: Int64(1 + random.next() % 200_000))
                case 1:
                    let next = state.installments[min(state.nextDueIndex, state.installments.count - 1)]
                    amount = max(Money(fen: 1), next.amountDue)
                case 2: amount = max(Money(fen: 1), Servicing.endOfDay(state, asOf: asOf, terms: terms).state.payoffAmount)
                default: amount = Money(fen: Int64(1 + random.next() % 6_000_000))
                }
                paymentCount += 1
                let result = try Servicing.repay(state, payment: Payment(id: "\(state.loanID)-\(paymentCount)", loanID: state.loanID, date: asOf, amount: amount),
                                                 terms: terms)
                #expect(result.allocation.total == amount)
                #expect(result.repaymentEntry.total == amount)
                cashReceived += amount
                allocated += result.allocation.total
                try post(result.entries)
                state = result.state
            case 50..<65 where state.daysPastDue > 60 && state.status == .active:
                let result = try Servicing.writeOff(state, on: asOf, terms: terms)
                try post(result.entries)
                state = result.state
            default:
                // Sometimes run the days one by one and check the catch-up gives the same.
                let caughtUp = Servicing.endOfDay(state, asOf: asOf, terms: terms)
                if random.next() % 3 == 0 {
                    var single = state
                    var entries: [JournalEntry] = []
                    var day = state.processedThrough
                    while day < asOf {
                        day = day.adding(days: 1)
                        let result = Servicing.endOfDay(single, asOf: day, terms: terms)
                        entries += result.entries
                        single = result.state
                    }
                    #expect(single == caughtUp.state)
                    #expect(entries == caughtUp.entries)
                }
                try post(caughtUp.entries)
                state = caughtUp.state
                let again = Servicing.endOfDay(state, asOf: asOf, terms: terms)
                #expect(again.entries.isEmpty && again.events.isEmpty && again.state == state)
            }
            checkInvariants()
        }

        func checkInvariants() {
            #expect(ledger.loan(state.loanID) == state.ledgerBalances)
            #expect(ledger.total == .zero)
            // Cash in the funding account: received less disbursed.
            #expect(ledger.balance(of: .fundingCash) == cashReceived - state.principal)
            #expect(cashReceived == allocated)
            var unpaidInterest = Money.zero
            var unpaidPenalty = Money.zero
            var unpaidPrincipal = Money.zero
            for installment in state.installments {
                #expect(installment.interestAccrued <= installment.interestDue)
                #expect(installment.interestPaid <= installment.interestAccrued)
                #expect(installment.principalPaid <= installment.principalDue)
                #expect(installment.principalDue.fen >= 0 && installment.interestDue.fen >= 0)
                unpaidInterest += installment.interestUnpaid
                unpaidPenalty += installment.penaltyUnpaid
                unpaidPrincipal += installment.principalUnpaid
            }
            #expect(unpaidInterest == state.interestReceivable + state.memoInterest + (state.writtenOff?.interest ?? .zero))
            #expect(unpaidPenalty == state.penaltyReceivable + state.memoPenalty + (state.writtenOff?.penalty ?? .zero))
            #expect(unpaidPrincipal == state.outstandingPrincipal + (state.writtenOff?.principal ?? .zero))
            #expect(state.interestReceivable.fen >= 0 && state.memoInterest.fen >= 0 && state.overpayment.fen >= 0)
            #expect(state.bucket == terms.bucket(forDaysPastDue: state.daysPastDue).name)
        }
    }

    @Test func ledgerAndLoanStateAgreeThroughRandomLifecycles() throws {
        var paidOff = 0
        var writtenOff = 0
        var nonAccrual = 0
        for seed in UInt64(1)...250 {
            var lifecycle = try Lifecycle(seed: seed)
            for _ in 0..<60 where lifecycle.state.processedThrough < lifecycle.state.installments.last!.dueDate.adding(days: 120) {
                try lifecycle.step()
                if lifecycle.state.nonAccrual { nonAccrual += 1 }
            }
            #expect(JournalChain.verify(lifecycle.sealed, expectedHead: lifecycle.chain.head) == nil)
            if lifecycle.state.status == .paidOff { paidOff += 1 }
            if lifecycle.state.status == .writtenOff { writtenOff += 1 }
        }
        // The random walk reaches every status.
        #expect(paidOff > 20 && writtenOff > 5 && nonAccrual > 5)
    }

    @Test func accrualsOfALoanPaidOnScheduleEqualItsScheduledInterest() throws {
        var random = SplitMix64(seed: 7)
        for index in 0..<100 {
            let terms = ProductTerms(method: index % 2 == 0 ? .equalInstallment : .equalPrincipal,
                                     apr: AnnualRate(partsPerMillion: Int64(random.next() % 360_001)))
            let opened = try Servicing.disburse(loanID: "S\(index)", principal: Money(fen: Int64(10_000 + random.next() % 50_000_000)),
                                                months: Int(1 + random.next() % 36), on: CalendarDay(daysSinceEpoch: 20_000 + index * 7), terms: terms)
            let scheduled = opened.state.installments
            var state = opened.state
            var accrued = Money.zero
            for (number, installment) in scheduled.enumerated() {
                let result = try Servicing.repay(state, payment: Payment(id: "S\(index)-\(number)", loanID: state.loanID, date: installment.dueDate,
                                                                         amount: installment.amountDue), terms: terms)
                for entry in result.entries where entry.kind == .accrual { accrued += entry.total }
                #expect(result.allocation.overpayment == .zero && result.allocation.prepaidPrincipal == .zero)
                state = result.state
            }
            #expect(state.status == .paidOff)
            #expect(accrued == sum(scheduled, \.interestDue))
            #expect(state.installments == scheduled.map { paid($0) })
        }
    }

    private func paid(_ installment: Installment) -> Installment {
        var copy = installment
        copy.interestAccrued = copy.interestDue
        copy.interestPaid = copy.interestDue
        copy.principalPaid = copy.principalDue
        return copy
    }
}
