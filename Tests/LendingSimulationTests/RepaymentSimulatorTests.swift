import LendingModel
import LendingSimulation
import Testing

/// A small book simulated without servicing: each loan owes 100.00 on day 30, 60, 90; what is
/// not paid stays overdue.
struct ToyBook {
    var simulator: RepaymentSimulator
    var overdue: [String: Money] = [:]
    var paid: [String: Int] = [:]
    var everLate = Set<String>()
    var outcomes: [RepaymentSimulator.Outcome] = []
    var payments: [RepaymentSimulator.Payment] = []

    init(seed: UInt64, borrowers: Int, creditBad: (Int) -> Bool) {
        simulator = RepaymentSimulator(seed: seed)
        for index in 0..<borrowers {
            simulator.addBorrower("B\(index)", risk: .init(creditBad: creditBad(index), fraud: false))
            overdue["B\(index)"] = .zero
        }
    }

    mutating func run(days: Int, callEveryOverdueLoan: Bool) {
        let start = CalendarDay(iso: "2026-01-01")!
        for offset in 1...days {
            let day = start.adding(days: offset)
            let due = offset % 30 == 0 ? Money(yuan: "100")! : .zero
            let ids = overdue.keys.sorted()
            let loans = ids.map { RepaymentSimulator.LoanView(loanID: $0, borrowerID: $0, dueToday: due, overdue: overdue[$0]!, daysPastDue: 0) }
            let contacts = callEveryOverdueLoan ? ids.filter { overdue[$0]!.fen > 0 }.map {
                RepaymentSimulator.Contact(loanID: $0, action: "agent_call", kind: .call, at: Instant(secondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400))
            } : []
            let result = simulator.simulate(day: day, loans: loans, contacts: contacts, lines: [])
            outcomes += result.outcomes
            payments += result.payments
            var paidToday = Set<String>()
            for payment in result.payments {
                paidToday.insert(payment.loanID)
                paid[payment.loanID, default: 0] += 1
                overdue[payment.loanID] = max(.zero, overdue[payment.loanID]! + due - payment.amount)
            }
            for id in ids where !paidToday.contains(id) {
                overdue[id]! += due
                if overdue[id]!.fen > 0 { everLate.insert(id) }
            }
        }
    }
}

@Suite struct RepaymentSimulatorTests {
    @Test func theSameSeedGivesTheSameDays() {
        var first = ToyBook(seed: 5, borrowers: 300) { $0 % 3 == 0 }
        var second = ToyBook(seed: 5, borrowers: 300) { $0 % 3 == 0 }
        first.run(days: 120, callEveryOverdueLoan: true)
        second.run(days: 120, callEveryOverdueLoan: true)
        #expect(first.payments == second.payments)
        #expect(first.outcomes == second.outcomes)
        #expect(!first.payments.isEmpty)
    }

    @Test func borrowersWithABadCreditRowFallBehindMoreOften() {
        var book = ToyBook(seed: 9, borrowers: 4_000) { $0 % 2 == 0 }
        book.run(days: 180, callEveryOverdueLoan: false)
        let bad = (0..<4_000).filter { $0 % 2 == 0 }.filter { book.overdue["B\($0)"]!.fen > 0 }.count
        let good = (0..<4_000).filter { $0 % 2 == 1 }.filter { book.overdue["B\($0)"]!.fen > 0 }.count
        #expect(bad > 2 * good)
        #expect(good > 0)
    }

    @Test func callsBringPromisesAndPaymentsThatSilenceDoesNot() {
        var called = ToyBook(seed: 21, borrowers: 3_000) { $0 % 2 == 0 }
        var silent = ToyBook(seed: 21, borrowers: 3_000) { $0 % 2 == 0 }
        called.run(days: 180, callEveryOverdueLoan: true)
        silent.run(days: 180, callEveryOverdueLoan: false)
        let promises = called.outcomes.filter { $0.result == "promise_to_pay" }
        #expect(promises.count > 100)
        #expect(promises.allSatisfy { $0.promiseDate != nil && ($0.promiseAmount?.fen ?? 0) > 0 })
        let overdueCalled = called.overdue.values.filter { $0.fen > 0 }.count
        let overdueSilent = silent.overdue.values.filter { $0.fen > 0 }.count
        #expect(overdueCalled < overdueSilent)
    }

    @Test func aFraudsterWhoGotALoanAlmostNeverPays() {
        var simulator = RepaymentSimulator(seed: 3)
        for index in 0..<200 { simulator.addBorrower("F\(index)", risk: .init(creditBad: false, fraud: true)) }
        let loans = (0..<200).map { RepaymentSimulator.LoanView(loanID: "F\($0)", borrowerID: "F\($0)", dueToday: Money(yuan: "100")!, overdue: .zero, daysPastDue: 0) }
        let payments = simulator.simulate(day: CalendarDay(iso: "2026-02-01")!, loans: loans, contacts: [], lines: []).payments
        #expect(payments.count < 40)
    }
}
