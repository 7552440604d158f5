import LendingModel

/// Something sent through a rail under an idempotency key: a payout or a refund.
public protocol RailInstruction: Sendable {
    var key: String { get }
    var amount: Money { get }
    var status: PayoutStatus { get set }
    var settledOn: CalendarDay? { get set }
    var reason: String? { get set }
}

/// The transitions payouts and refunds share: from `sent` on the rail's answer, and from in
/// flight on the rail's record of the key.
enum RailSteps {
    enum Step { case paid, failed, noAnswer, notReceived }

    static func answered<T: RailInstruction>(_ instruction: T, with answer: RailAnswer, on day: CalendarDay) throws(DisbursementError) -> (T, Step) {
        guard instruction.status == .sent else {
            throw DisbursementError(code: "disbursement.not_sent",
                                    message: "\(instruction.key) is \(instruction.status.rawValue), not sent; only a sent instruction takes the rail's answer")
        }
        var next = instruction
        switch answer {
        case .paid:
            next.status = .paid
            next.settledOn = day
            return (next, .paid)
        case .failed(let reason):
            next.status = .failed
            next.settledOn = day
            next.reason = reason
            return (next, .failed)
        case .noAnswer:
            next.status = .unknown
            return (next, .noAnswer)
        }
    }

    static func reconciled<T: RailInstruction>(_ instruction: T, with record: RailRecord?, on day: CalendarDay) throws(DisbursementError) -> (T, Step) {
        guard !instruction.status.isFinal else {
            throw DisbursementError(code: "disbursement.not_in_flight",
                                    message: "\(instruction.key) is already \(instruction.status.rawValue); only an instruction in flight is reconciled")
        }
        var next = instruction
        guard let record else {
            next.status = .sent
            return (next, .notReceived)
        }
        guard record.key == instruction.key, record.amount == instruction.amount else {
            throw DisbursementError(code: "disbursement.rail_mismatch",
                                    message: "the rail holds key \(record.key) for \(record.amount) but \(instruction.key) is for \(instruction.amount); stop and ask the bank")
        }
        next.settledOn = day
        switch record.status {
        case .paid:
            next.status = .paid
            return (next, .paid)
        case .failed:
            next.status = .failed
            next.reason = record.reason ?? "refused"
            return (next, .failed)
        }
    }
}
