import LendingModel

/// Monthly repayment schedules: due dates, the level payment, and the installments of a loan.
///
/// Worked example (checked in `ScheduleTests`): 10 000.00 yuan at 18.25%, equal installment,
/// 3 months, actual/365, disbursed 2026-01-15.
/// - Monthly rate r = 0.1825 / 12 = 0.015208333…; (1 + r)^-3 = 0.955744…;
///   payment = 10 000 × r / (1 − 0.955744…) = 3 435.2323… → 3 435.23.
/// - Due 2026-02-15 (31 days): interest 10 000 × 0.1825 × 31 / 365 = 155.00; principal
///   3 435.23 − 155.00 = 3 280.23; left 6 719.77.
/// - Due 2026-03-15 (28 days): interest 6 719.77 × 0.1825 × 28 / 365 = 94.0768 → 94.08;
///   principal 3 341.15; left 3 378.62.
/// - Due 2026-04-15 (31 days): interest 3 378.62 × 0.1825 × 31 / 365 = 52.3686 → 52.37;
///   the last installment takes all the principal left: 3 378.62 (payment 3 430.99).
public enum Schedule {
    /// The largest term accepted, in months.
    public static let maxMonths = 600

    /// The due date `months` months after `anchor`: the anchor's day of month, or the last day of
    /// a month that is shorter (a loan disbursed on Jan 31 is due Feb 28 or 29, Mar 31, Apr 30, ...).
    public static func dueDate(anchor: CalendarDay, monthsLater months: Int) -> CalendarDay {
        let (year, month, day) = anchor.components
        let index = year * 12 + (month - 1) + months
        let dueYear = index / 12
        let dueMonth = index % 12 + 1
        return CalendarDay(year: dueYear, month: dueMonth, day: min(day, CalendarDay.daysIn(year: dueYear, month: dueMonth)))!
    }

    /// The due dates of a loan of `months` monthly installments disbursed on `disbursedOn`.
    public static func dueDates(disbursedOn: CalendarDay, months: Int) -> [CalendarDay] {
        (1...max(1, months)).map { dueDate(anchor: disbursedOn, monthsLater: $0) }
    }

    /// The level monthly payment of an equal-installment loan, from the nominal monthly rate
    /// r = apr / 12.
    ///
    /// Computed exactly in integers: the discount factor v = (1 + r)^-n is built in fixed point
    /// with 18 decimals, one multiplication at a time, each `v × 12 / (12 + apr)` rounded half to
    /// even; then payment = principal × r / (1 − v), rounded half to even to the fen. At a zero
    /// rate the payment is principal / n, truncated (the remainder goes to the last installment).
    /// - Throws: ``ServicingError`` for a principal that is not positive, a term outside
    ///   1...``maxMonths``, or principal × rate too large for 128-bit arithmetic (beyond about
    ///   10^14 fen at 100%).
    public static func levelPayment(principal: Money, apr: AnnualRate, months: Int) throws -> Money {
        try check(principal: principal, apr: apr, months: months)
        guard let payment = levelPaymentIfRepresentable(principal: principal, apr: apr, months: months) else {
            throw ServicingError(code: "servicing.amount_too_large",
                                 message: "principal \(principal) at \(apr) is too large to schedule; split the loan")
        }
        return payment
    }

    /// The installments of a new loan, every one unpaid and with nothing accrued.
    ///
    /// Interest of a period = outstanding principal × apr × actual days in the period / days in
    /// the year, rounded half to even to the fen (``AnnualRate/interest(on:days:daysInYear:)``).
    /// Equal installment: principal part = level payment − interest (never below zero nor above
    /// what is left). Equal principal: principal / n truncated. In both, the last installment
    /// takes all the principal left, so it absorbs every rounding.
    /// - Throws: ``ServicingError`` as ``levelPayment(principal:apr:months:)``.
    public static func installments(principal: Money, apr: AnnualRate, months: Int, method: ProductTerms.Method,
                                    dayCount: ProductTerms.DayCount, disbursedOn: CalendarDay) throws -> [Installment] {
        try check(principal: principal, apr: apr, months: months)
        guard levelPaymentIfRepresentable(principal: principal, apr: apr, months: months) != nil else {
            throw ServicingError(code: "servicing.amount_too_large",
                                 message: "principal \(principal) at \(apr) is too large to schedule; split the loan")
        }
        var installments: [Installment] = []
        installments.reserveCapacity(months)
        var start = disbursedOn
        for number in 1...months {
            let due = dueDate(anchor: disbursedOn, monthsLater: number)
            installments.append(Installment(number: number, dueDate: due, principalDue: .zero, interestDue: .zero, accrualStart: start))
            start = due
        }
        amortize(&installments, from: 0, principal: principal, apr: apr, method: method, daysInYear: dayCount.daysInYear)
        return installments
    }

    /// Re-plans installments `first...` for `principal`, keeping their dates, accrual starts and
    /// accrual bases: each one's interest = base + interest on the outstanding for the days after its
    /// accrual start; principal parts by `method` over the installments left.
    /// - Precondition: the caller checked that `principal` and `apr` can be scheduled.
    static func amortize(_ installments: inout [Installment], from first: Int, principal: Money, apr: AnnualRate,
                         method: ProductTerms.Method, daysInYear: Int) {
        let count = installments.count - first
        guard count > 0 else { return }
        let payment: Money
        switch method {
        case .equalPrincipal: payment = Money(fen: principal.fen / Int64(count))
        case .equalInstallment:
            guard let level = levelPaymentIfRepresentable(principal: principal, apr: apr, months: count) else {
                preconditionFailure("principal \(principal) at \(apr) cannot be scheduled")
            }
            payment = level
        }
        var outstanding = principal
        for index in first..<installments.count {
            var installment = installments[index]
            let days = installment.accrualStart.days(to: installment.dueDate)
            let interest = apr.interest(on: outstanding, days: days, daysInYear: daysInYear)
            installment.interestDue = installment.accrualBase + interest
            let part: Money
            if index == installments.count - 1 {
                part = outstanding
            } else if method == .equalPrincipal || apr.partsPerMillion == 0 {
                part = min(payment, outstanding)
            } else {
                part = min(max(payment - interest, .zero), outstanding)
            }
            installment.principalDue = installment.principalPaid + part
            outstanding -= part
            installments[index] = installment
        }
    }

    static func check(principal: Money, apr: AnnualRate, months: Int) throws {
        guard principal.fen > 0 else {
            throw ServicingError(code: "servicing.invalid_amount", message: "principal \(principal) must be positive")
        }
        guard (1...maxMonths).contains(months) else {
            throw ServicingError(code: "servicing.invalid_term", message: "term of \(months) months is outside 1...\(maxMonths)")
        }
        guard apr.partsPerMillion >= 0 else {
            throw ServicingError(code: "servicing.invalid_terms", message: "apr \(apr) must not be negative")
        }
    }

    /// Fixed-point scale of the discount factor (18 decimals).
    private static let scale: Int128 = 1_000_000_000_000_000_000
    /// 12 months × 1 000 000 ppm: the monthly rate is ppm / this.
    private static let monthlyDenominator: Int128 = 12_000_000

    static func levelPaymentIfRepresentable(principal: Money, apr: AnnualRate, months: Int) -> Money? {
        let ppm = Int128(apr.partsPerMillion)
        guard ppm > 0 else { return Money(fen: principal.fen / Int64(months)) }
        var discount = scale
        for _ in 0..<months {
            discount = AnnualRate.bankersDivide(discount * monthlyDenominator, by: monthlyDenominator + ppm)
        }
        let (rated, overflow1) = Int128(principal.fen).multipliedReportingOverflow(by: ppm)
        let (numerator, overflow2) = rated.multipliedReportingOverflow(by: scale)
        guard !overflow1, !overflow2, discount < scale else { return nil }
        let payment = AnnualRate.bankersDivide(numerator, by: monthlyDenominator * (scale - discount))
        guard payment <= Int128(Int64.max) else { return nil }
        return Money(fen: Int64(payment))
    }
}
