import Foundation
import LendingModel
// `Payment` and `CreditLine.DrawRequest`, the requests of issue 5's jobs.
import LendingServicing
import Logging
import ServiceLifecycle
import LendingStorePorts
import LendingLoanBook

/// The loan book of `lending serve`: draws and repayments through LendingPipeline's
/// `DrawTaker` and `RepaymentPoster`, loans read through the `ServicingStore` port (SQLite).
///
/// Writes happen on a thread of the desk's own, with group commit as ``ApplicationDesk`` does:
/// the requests that arrive while a transaction is being written go together into the next one,
/// in arrival order, each against everything before it; every caller is answered only after the
/// commit. A request the loan book refuses (unknown loan, over the available amount, a payment
/// dated before the loan's last end of day) writes nothing and leaves the others in its batch
/// alone; a failure of the whole transaction (a storage error, a product missing from the
/// products file) runs each request of the batch again alone, so only the one at fault fails.
///
/// One SQLite writer per process: give the desk the same `SQLiteStore` as the application desk.
/// Its `DatabasePool` has one writing connection and runs one write transaction at a time, so
/// the two desks' transactions take turns and never overlap (nor wait on `SQLITE_BUSY`).
///
/// A `Service`: run it in the server's `ServiceGroup` (``LendingService/application(configuration:)``
/// adds it) so that graceful shutdown answers the requests already accepted.
public final class LoanDesk: LoanService, Service, Sendable {
    /// The loan book.
    public let store: any ServicingStore
    /// The products loans are serviced by.
    public let products: ProductCatalog
    /// Requests decided together at most.
    public var maximumBatch: Int { writer.maximumBatch }
    private let writer: GroupCommitWriter<Job>

    /// - Parameters:
    ///   - store: the loan book (the application database's `SQLiteStore`).
    ///   - products: the product terms (`lending serve --products`, else the built-in ones).
    ///   - today: the business date of a draw sent without `requested_at`.
    ///   - maximumBatch: requests per transaction at most.
    ///   - logger: failed transactions (codes only, never personal data).
    public init(store: any ServicingStore, products: ProductCatalog = .standard, today: @escaping @Sendable () -> CalendarDay,
                maximumBatch: Int = 256, logger: Logger = Logger(label: "lending.loans")) {
        self.store = store
        self.products = products
        let batches = Batches(store: store, products: products, today: today, logger: logger)
        writer = GroupCommitWriter(maximumBatch: maximumBatch) { batches.process($0) }
    }

    public func draw(_ request: DrawRequest) async throws -> DrawResult { try Self.drawn(await submit(.draw(request), ticket: nil)) }

    public func repay(_ request: RepaymentRequest) async throws -> RepaymentView { try Self.repaid(await submit(.repay(request), ticket: nil)) }

    /// Takes a draw, recording `ticket`'s key with it (and with a refusal) in the same transaction.
    public func draw(_ request: DrawRequest, ticket: IdempotencyTicket) async throws -> DrawResult {
        try Self.drawn(await submit(.draw(request), ticket: ticket))
    }

    /// Applies a repayment, recording `ticket`'s key with it (and with a refusal) in the same transaction.
    public func repay(_ request: RepaymentRequest, ticket: IdempotencyTicket) async throws -> RepaymentView {
        try Self.repaid(await submit(.repay(request), ticket: ticket))
    }

    /// The loan, read from a snapshot (not through the writer).
    public func loan(id: String) async throws -> LoanView? {
        try store.readServicing { transaction in try transaction.loans([id])[id].map(LoanDesk.view) }
    }

    /// Requests accepted and not yet taken by the writer.
    var waitingCount: Int { writer.waitingCount }
    /// Requests taken by the writer so far.
    var takenCount: Int { writer.takenCount }

    /// Waits for graceful shutdown, then stops taking requests and finishes those accepted.
    public func run() async throws { await writer.runUntilGracefulShutdown() }

    /// Stops taking requests; returns once the ones already accepted are stored and answered.
    public func shutdown() async { await writer.shutdown() }

    // MARK: Requests and answers

    enum Work: Sendable {
        case draw(DrawRequest)
        case repay(RepaymentRequest)
    }

    enum Answer: Sendable {
        case drawn(DrawResult)
        case repaid(RepaymentView)
        case refused(LoanServiceError)

        /// What the route sends for this answer, to record under the request's key (`nil`: not kept).
        var response: StoredResponse? {
            switch self {
            case .drawn(let result): RouteAnswer.stored { try RouteAnswer.draw(.success(result)) }
            case .repaid(let view): RouteAnswer.stored { try RouteAnswer.repayment(.success(view)) }
            case .refused(let error): RouteAnswer.stored { throw RouteAnswer.refusal(error) }
            }
        }
    }

    struct Job: Sendable, KeyedRequest {
        let work: Work
        let ticket: IdempotencyTicket?
        let continuation: CheckedContinuation<Answer, any Error>
    }

    private func submit(_ work: Work, ticket: IdempotencyTicket?) async throws -> Answer {
        try await writer.submit(then: "send the request again later") { Job(work: work, ticket: ticket, continuation: $0) }
    }

    private static func drawn(_ answer: Answer) throws -> DrawResult {
        switch answer {
        case .drawn(let result): return result
        case .refused(let error): throw error
        case .repaid: preconditionFailure("a draw is answered with its loan")
        }
    }

    private static func repaid(_ answer: Answer) throws -> RepaymentView {
        switch answer {
        case .repaid(let view): return view
        case .refused(let error): throw error
        case .drawn: preconditionFailure("a repayment is answered with its allocation")
        }
    }

    /// A stored loan as the service shows it (a loan waiting for its payout has no schedule yet).
    static func view(_ loan: StoredLoan) -> LoanView {
        let state = loan.state
        return LoanView(
            loanID: loan.loanID, lineID: loan.lineID, product: loan.product, status: loan.status.rawValue, principal: loan.principal,
            termMonths: loan.termMonths, apr: loan.apr, signedOn: loan.signedOn, disbursedOn: state?.disbursedOn,
            processedThrough: state?.processedThrough, outstandingPrincipal: state?.outstandingPrincipal ?? .zero,
            interestReceivable: state?.interestReceivable ?? .zero, penaltyReceivable: state?.penaltyReceivable ?? .zero,
            overpayment: state?.overpayment ?? .zero, daysPastDue: state?.daysPastDue ?? 0, bucket: state?.bucket,
            payoffAmount: state?.payoffAmount ?? .zero,
            schedule: (state?.installments ?? []).map { item in
                InstallmentView(number: item.number, dueDate: item.dueDate, principalDue: item.principalDue, interestDue: item.interestDue,
                                principalPaid: item.principalPaid, interestPaid: item.interestPaid, penaltyAccrued: item.penaltyAccrued,
                                penaltyPaid: item.penaltyPaid)
            })
    }

    // MARK: The writer

    /// The batches of the writer thread. `@unchecked Sendable`: its state is immutable after start.
    final class Batches: @unchecked Sendable { // used only by the writer thread once started
        let store: any ServicingStore
        let poster: RepaymentPoster
        let taker: DrawTaker
        let today: @Sendable () -> CalendarDay
        let logger: Logger

        init(store: any ServicingStore, products: ProductCatalog, today: @escaping @Sendable () -> CalendarDay, logger: Logger) {
            self.store = store
            poster = RepaymentPoster(products: products)
            taker = DrawTaker(products: products)
            self.today = today
            self.logger = logger
        }

        /// Runs a batch in one transaction; if the transaction fails, each request alone.
        func process(_ batch: [Job]) {
            var recorded: [(IdempotencyTicket, StoredResponse)] = []
            let answers: [Answer]
            do {
                answers = try store.withServicingTransaction { transaction in
                    let answers = try batch.map { try answer($0.work, in: transaction) }
                    recorded = try GroupCommitWriter.recordKeys(of: batch, answers, in: transaction) { $0.response }
                    return answers
                }
            } catch {
                guard batch.count == 1 else {
                    for job in batch { process([job]) }
                    return
                }
                logger.error("a loan book request failed; nothing was stored",
                             metadata: ["error": "\((error as? any LendingDiagnostic)?.code ?? "store.failed")"])
                batch[0].continuation.resume(throwing: error)
                return
            }
            for (ticket, response) in recorded { ticket.markRecorded(response) }
            for (job, answer) in zip(batch, answers) { job.continuation.resume(returning: answer) }
        }

        /// One request inside the batch's transaction: its answer, or a refusal (nothing written).
        /// - Throws: failures (storage, products), which roll the transaction back.
        func answer(_ work: Work, in transaction: any ServicingTransaction) throws -> Answer {
            do {
                switch work {
                case .repay(let request):
                    let payment = Payment(id: request.paymentID, loanID: request.loanID, date: request.paidAt, amount: request.amount)
                    let (stored, replayed) = switch try poster.post(payment, in: transaction) {
                    case .applied(let stored): (stored, false)
                    case .repeated(let stored): (stored, true)
                    }
                    guard let loan = try transaction.loans([stored.loanID])[stored.loanID] else {
                        preconditionFailure("a repayment's loan is stored")
                    }
                    return .repaid(RepaymentView(
                        paymentID: stored.paymentID, loanID: stored.loanID, amount: stored.amount, toPenalty: stored.penalty,
                        toInterest: stored.interest, toPrincipal: stored.principal, toOverpayment: stored.overpayment,
                        toRecovery: stored.recovery, loan: LoanDesk.view(loan), replayed: replayed))
                case .draw(let request):
                    var date = request.requestedOn ?? today()
                    // Without a date, a draw id taken before with the same line, amount and term
                    // is the same draw sent again (on another day, perhaps): use its date.
                    if request.requestedOn == nil, let taken = try transaction.draw(drawID: request.drawID), taken.lineID == request.lineID,
                       taken.amount == request.amount, taken.termMonths == request.termMonths {
                        date = taken.requestedOn
                    }
                    let replayed = switch try taker.take(CreditLine.DrawRequest(drawID: request.drawID, amount: request.amount,
                                                                                months: request.termMonths, date: date),
                                                         lineID: request.lineID, in: transaction) {
                    case .taken: false
                    case .repeated: true
                    }
                    guard let loan = try transaction.loans([request.drawID])[request.drawID] else { preconditionFailure("a draw's loan is stored") }
                    return .drawn(DrawResult(loan: LoanDesk.view(loan), replayed: replayed))
                }
            } catch let problem as ServicingRequestError {
                return .refused(try refusal(problem, work, in: transaction))
            }
        }

        /// A refusal as the service reports it: `*.conflict` and a draw id that is already a
        /// loan's are 409, unknown loans and lines 404, the rest (rules) 422. A draw on an
        /// approved application whose agreement is not signed, or on an installment loan, is 422.
        func refusal(_ problem: ServicingRequestError, _ work: Work, in transaction: any ServicingTransaction) throws -> LoanServiceError {
            if problem.code.hasSuffix(".conflict") || problem.code == "draw.draw_id" {
                return LoanServiceError(.conflict, code: problem.code, message: problem.message)
            }
            if problem.code == "draw.unknown_line", case .draw(let request) = work {
                if try !transaction.loans([request.lineID]).isEmpty {
                    return LoanServiceError(.ruleViolation, code: "draw.not_a_line",
                                            message: "\(request.lineID) is an installment loan, not a credit line; draw on a revolving line")
                }
                if try !transaction.approvedWithoutAgreement(applicationIDs: [request.lineID]).isEmpty {
                    return LoanServiceError(.ruleViolation, code: "draw.line_not_signed",
                                            message: "application \(request.lineID) is approved but its agreement is not signed, so there is no credit line to draw on yet; sign the agreement first")
                }
            }
            if problem.code.contains(".unknown_") { return LoanServiceError(.notFound, code: problem.code, message: problem.message) }
            return LoanServiceError(.ruleViolation, code: problem.code, message: problem.message)
        }
    }
}
