import LendingLedger
import LendingModel
import LendingServicing

/// How a ``LoanState`` is stored: the daily fields (``LoanDailyFields``) as plain columns, and
/// everything else as a compact binary record (zigzag varints; dates relative to the
/// disbursement) that stays byte for byte the same on a day when only the daily fields move.
/// End of day compares the record before and after and writes it only when it changed (an
/// installment fell due, penalty accrued, a payment), so an ordinary day of a large book writes
/// about 30 bytes per loan instead of the whole schedule.
///
/// The record, version 1: version byte, loan id, line id (presence byte), rate (ppm), principal,
/// disbursement day, status, outstanding principal, overpayment, bucket, non-accrual, next due
/// index, first unsettled index, closed on (presence), written off (presence, four amounts),
/// recovered, installment count, then per installment its number less its position, due date,
/// principal due, interest due, accrual start, accrual base, interest accrued (zero for the
/// current installment: it is a daily field), penalty accrued, principal, interest and penalty paid.
///
/// Version 2 is version 1 followed by the hardship pauses of delinquency ageing (count, then per
/// pause its first day relative to the disbursement and its length in days). It is written only
/// for a loan with a pause, so every other loan's record stays version 1, byte for byte.
public enum LoanStateCoding {
    static let version: UInt8 = 1
    static let versionWithPauses: UInt8 = 2

    /// Writes the record of `state` into `record` (replacing its content, keeping its capacity)
    /// and returns the daily fields.
    public static func split(_ state: LoanState, record: inout [UInt8]) -> LoanDailyFields {
        var writer = ByteWriter(reusing: &record)
        let base = state.disbursedOn.daysSinceEpoch
        writer.byte(state.agingPauses.isEmpty ? version : versionWithPauses)
        writer.text(state.loanID)
        if let line = state.lineID {
            writer.byte(1)
            writer.text(line)
        } else {
            writer.byte(0)
        }
        writer.signed(state.apr.partsPerMillion)
        writer.signed(state.principal.fen)
        writer.int(base)
        writer.byte(statusCode(state.status))
        writer.signed(state.outstandingPrincipal.fen)
        writer.signed(state.overpayment.fen)
        writer.text(state.bucket)
        writer.byte(state.nonAccrual ? 1 : 0)
        writer.int(state.nextDueIndex)
        writer.int(state.firstUnsettledIndex)
        if let closed = state.closedOn {
            writer.byte(1)
            writer.int(closed.daysSinceEpoch - base)
        } else {
            writer.byte(0)
        }
        if let off = state.writtenOff {
            writer.byte(1)
            writer.signed(off.principal.fen)
            writer.signed(off.interest.fen)
            writer.signed(off.penalty.fen)
            writer.signed(off.overpayment.fen)
        } else {
            writer.byte(0)
        }
        writer.signed(state.recovered.fen)
        writer.int(state.installments.count)
        var current = Money.zero
        for (index, installment) in state.installments.enumerated() {
            writer.int(installment.number - (index + 1))
            writer.int(installment.dueDate.daysSinceEpoch - base)
            writer.signed(installment.principalDue.fen)
            writer.signed(installment.interestDue.fen)
            writer.int(installment.accrualStart.daysSinceEpoch - base)
            writer.signed(installment.accrualBase.fen)
            if index == state.nextDueIndex {
                current = installment.interestAccrued
                writer.signed(0)
            } else {
                writer.signed(installment.interestAccrued.fen)
            }
            writer.signed(installment.penaltyAccrued.fen)
            writer.signed(installment.principalPaid.fen)
            writer.signed(installment.interestPaid.fen)
            writer.signed(installment.penaltyPaid.fen)
        }
        if !state.agingPauses.isEmpty {
            writer.int(state.agingPauses.count)
            for pause in state.agingPauses {
                writer.int(pause.from.daysSinceEpoch - base)
                writer.int(pause.from.days(to: pause.through))
            }
        }
        record = writer.bytes
        return LoanDailyFields(processedThrough: state.processedThrough, daysPastDue: state.daysPastDue,
                               interestReceivable: state.interestReceivable, penaltyReceivable: state.penaltyReceivable,
                               memoInterest: state.memoInterest, memoPenalty: state.memoPenalty, currentInterestAccrued: current)
    }

    /// The record of `state` and its daily fields.
    public static func split(_ state: LoanState) -> (record: [UInt8], daily: LoanDailyFields) {
        var record: [UInt8] = []
        let daily = split(state, record: &record)
        return (record, daily)
    }

    /// The state from its record and daily fields.
    /// - Throws: ``LendingError`` `store.corrupt_loan` when the record is not one this program wrote.
    public static func join(record: UnsafeRawBufferPointer, daily: LoanDailyFields) throws(LendingError) -> LoanState {
        var reader = ByteReader(record)
        do {
            let recordVersion = try reader.byte()
            guard recordVersion == version || recordVersion == versionWithPauses else { throw ByteReader.Truncated() }
            let loanID = try reader.text()
            let lineID: String? = try reader.byte() == 1 ? try reader.text() : nil
            let apr = AnnualRate(partsPerMillion: try reader.signed())
            let principal = Money(fen: try reader.signed())
            let base = try reader.int()
            guard let status = status(try reader.byte()) else { throw ByteReader.Truncated() }
            let outstanding = Money(fen: try reader.signed())
            let overpayment = Money(fen: try reader.signed())
            let bucket = try reader.text()
            let nonAccrual = try reader.byte() == 1
            let nextDue = try reader.int()
            let firstUnsettled = try reader.int()
            let closedOn: CalendarDay? = try reader.byte() == 1 ? CalendarDay(daysSinceEpoch: base + (try reader.int())) : nil
            var writtenOff: LoanBalances?
            if try reader.byte() == 1 {
                writtenOff = LoanBalances(principal: Money(fen: try reader.signed()), interest: Money(fen: try reader.signed()),
                                          penalty: Money(fen: try reader.signed()), overpayment: Money(fen: try reader.signed()))
            }
            let recovered = Money(fen: try reader.signed())
            let count = try reader.int()
            guard (0...Schedule.maxMonths).contains(count), (0...count).contains(nextDue), (0...count).contains(firstUnsettled) else {
                throw ByteReader.Truncated()
            }
            var installments: [Installment] = []
            installments.reserveCapacity(count)
            for index in 0..<count {
                let number = try reader.int() + index + 1
                let due = CalendarDay(daysSinceEpoch: base + (try reader.int()))
                let principalDue = Money(fen: try reader.signed())
                let interestDue = Money(fen: try reader.signed())
                let start = CalendarDay(daysSinceEpoch: base + (try reader.int()))
                let accrualBase = Money(fen: try reader.signed())
                var accrued = Money(fen: try reader.signed())
                if index == nextDue { accrued = daily.currentInterestAccrued }
                installments.append(Installment(
                    number: number, dueDate: due, principalDue: principalDue, interestDue: interestDue, accrualStart: start,
                    accrualBase: accrualBase, interestAccrued: accrued, penaltyAccrued: Money(fen: try reader.signed()),
                    principalPaid: Money(fen: try reader.signed()), interestPaid: Money(fen: try reader.signed()),
                    penaltyPaid: Money(fen: try reader.signed())))
            }
            var pauses: [AgingPause] = []
            if recordVersion == versionWithPauses {
                let pauseCount = try reader.int()
                guard (1...10_000).contains(pauseCount) else { throw ByteReader.Truncated() }
                for _ in 0..<pauseCount {
                    let from = CalendarDay(daysSinceEpoch: base + (try reader.int()))
                    let length = try reader.int()
                    guard length >= 0 else { throw ByteReader.Truncated() }
                    pauses.append(AgingPause(from: from, through: from.adding(days: length)))
                }
            }
            guard reader.atEnd else { throw ByteReader.Truncated() }
            return LoanState(
                loanID: loanID, lineID: lineID, apr: apr, principal: principal, disbursedOn: CalendarDay(daysSinceEpoch: base),
                processedThrough: daily.processedThrough, status: status, installments: installments, outstandingPrincipal: outstanding,
                interestReceivable: daily.interestReceivable, penaltyReceivable: daily.penaltyReceivable, overpayment: overpayment,
                memoInterest: daily.memoInterest, memoPenalty: daily.memoPenalty, daysPastDue: daily.daysPastDue, bucket: bucket,
                nonAccrual: nonAccrual, nextDueIndex: nextDue, firstUnsettledIndex: firstUnsettled, closedOn: closedOn,
                writtenOff: writtenOff, recovered: recovered, agingPauses: pauses)
        } catch {
            throw LendingError(code: "store.corrupt_loan",
                               message: "a stored loan record cannot be read (damaged, or written by another version); restore the database from a backup")
        }
    }

    /// The state from its record (as bytes) and daily fields.
    public static func join(record: [UInt8], daily: LoanDailyFields) throws(LendingError) -> LoanState {
        let result = record.withUnsafeBytes { raw in Result { () throws(LendingError) -> LoanState in try join(record: raw, daily: daily) } }
        return try result.get()
    }

    static func statusCode(_ status: LoanStatus) -> UInt8 {
        switch status {
        case .active: 0
        case .paidOff: 1
        case .writtenOff: 2
        }
    }

    static func status(_ code: UInt8) -> LoanStatus? {
        switch code {
        case 0: .active
        case 1: .paidOff
        case 2: .writtenOff
        default: nil
        }
    }
}
