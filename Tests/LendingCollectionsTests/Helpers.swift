import LendingCollections
import LendingModel

/// A calendar day from ISO text (`2026-11-21`).
func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

func instant(_ text: String) -> Instant { Instant(iso: text)! }

func yuan(_ text: String) -> Money { Money(yuan: text)! }

let china = 8 * 3600

/// The standard engine (the strategy is valid, so this cannot fail).
let standardEngine = try! CollectionEngine(strategy: .standard)

/// A snapshot with the defaults of a China-based borrower.
func loan(_ id: String, dpd: Int, nextDue: CalendarDay? = nil, overdue: Money = yuan("500.00"), paid: Money = .zero,
          insured: Bool = false, offset: Int = china, optOuts: OptOuts = .none, score: Double = 600) -> CollectionSnapshot {
    CollectionSnapshot(loanId: id, daysPastDue: dpd, nextDueDate: nextDue, overdueAmount: overdue,
                       outstandingBalance: yuan("3000.00"), totalPaid: paid, insured: insured,
                       utcOffsetSeconds: offset, optOuts: optOuts, score: score)
}

/// Runs the ladder day by day: `dpd(k)` is the loan's days past due on day k from `start`.
func walk(_ engine: CollectionEngine = standardEngine, from start: CalendarDay, days: Int, score: Double = 600,
          snapshot: (Int) -> CollectionSnapshot) -> [LadderState?] {
    var state: LadderState?
    var states: [LadderState?] = []
    for k in 0..<days {
        state = engine.advance(state, snapshot: snapshot(k), outcomes: [], on: start.adding(days: k)).state
        states.append(state)
    }
    return states
}
