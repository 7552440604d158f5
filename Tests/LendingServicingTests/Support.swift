import LendingLedger
import LendingModel
import LendingServicing

func fen(_ value: Int64) -> Money { Money(fen: value) }
func date(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }
func rate(_ text: String) -> AnnualRate { AnnualRate(decimal: text)! }

/// 10 000.00 at 18.25%: 5.00 a day on the full principal, actual/365.
let standardTerms = ProductTerms(apr: rate("0.1825"))

/// A loan of `principal` fen over `months`, disbursed on `on`.
func loan(_ principal: Int64 = 1_000_000, months: Int = 3, on day: String = "2026-01-15", terms: ProductTerms = standardTerms,
          id: String = "L1") -> LoanState {
    try! Servicing.disburse(loanID: id, principal: fen(principal), months: months, on: date(day), terms: terms).state
}

/// Banker's rounding of a non-negative rational, written independently of the code under test.
func roundHalfEven(_ numerator: Int128, _ denominator: Int128) -> Int128 {
    let quotient = numerator / denominator
    let twiceRemainder = (numerator - quotient * denominator) * 2
    if twiceRemainder < denominator { return quotient }
    if twiceRemainder > denominator { return quotient + 1 }
    return quotient.isMultiple(of: 2) ? quotient : quotient + 1
}

/// Runs end of day through `asOf` and posts everything into `ledger`.
@discardableResult
func runEndOfDay(_ state: inout LoanState, through asOf: CalendarDay, terms: ProductTerms, ledger: inout LedgerBalances) -> Servicing.EndOfDayResult {
    let result = Servicing.endOfDay(state, asOf: asOf, terms: terms)
    for entry in result.entries { ledger.post(entry) }
    state = result.state
    return result
}

/// The sum of a money field over the installments.
func sum(_ installments: [Installment], _ field: (Installment) -> Money) -> Money {
    installments.reduce(Money.zero) { $0 + field($1) }
}
