import LendingCSV
import LendingCollections
import LendingLedger
import LendingLoanBook
import LendingModel
import LendingStorePorts

/// Detail exports as CSV (`lending export KIND`, `GET /v1/exports/{kind}`): the book's records
/// row by row, for a lender's own reports and reconciliations. Money in yuan with 2 decimals,
/// dates ISO 8601. Personal data (name, ID number, phone) only in `decisions`, and only with
/// ``personalData`` (which the CLI and the service grant to the admin role alone).
public struct DetailExport: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case loans, schedules, repayments, journal, actions, outcomes, decisions
    }

    public var kind: Kind
    /// Adds the applicant's name, ID number and phone to `decisions`.
    public var personalData: Bool
    public var products: ProductCatalog

    public init(kind: Kind, personalData: Bool = false, products: ProductCatalog = .standard) {
        self.kind = kind
        self.personalData = personalData
        self.products = products
    }

    /// The header of the export.
    public var header: [String] {
        switch kind {
        case .loans:
            ["loan_id", "line_id", "application_id", "product", "status", "principal", "term_months", "apr", "signed_on", "disbursed_on",
             "processed_through", "outstanding_principal", "interest_receivable", "penalty_receivable", "overpayment", "days_past_due", "bucket"]
        case .schedules:
            ["loan_id", "number", "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid", "penalty_accrued", "penalty_paid"]
        case .repayments: ["loan_id", "paid_on", "amount"]
        case .journal: ["sequence", "entry_id", "date", "kind", "loan_id", "account", "side", "amount", "reverses", "memo", "hash"]
        case .actions: PlannedAction.csvHeader
        case .outcomes: ContactOutcome.csvHeader
        case .decisions:
            ["sequence", "application_id", "kind", "decided_at", "outcome", "approved_limit", "proposed_limit", "apr", "score", "probability",
             "fraud_score", "reasons", "decided_by", "model_version", "policy_version", "hash"]
                + (personalData ? ["name", "id_number", "phone"] : [])
        }
    }

    /// Writes the export, in chunks of about 64 KB, to `sink`.
    /// - Throws: the store's errors, the sink's, and ``LendingError`` when sealed personal data cannot be opened.
    public func write(store: any LendingDatabase, protector: PersonalDataProtector, to sink: ([UInt8]) throws -> Void) throws {
        var buffer = CSVOutputBuffer()
        buffer.appendRecord(header)
        func add(_ fields: [String]) throws {
            buffer.appendRecord(fields)
            if buffer.count >= 1 << 16 {
                try sink(buffer.bytes)
                buffer.removeAll()
            }
        }
        switch kind {
        case .loans, .schedules:
            try store.forEachLoan { loan in
                let state = loan.state
                if kind == .loans {
                    var fields: [String] = [loan.loanID, loan.lineID ?? "", loan.applicationID, loan.product, loan.status.rawValue,
                                            loan.principal.yuanString, String(loan.termMonths), loan.apr.decimalString, loan.signedOn.description]
                    fields += [state?.disbursedOn.description ?? "", state?.processedThrough.description ?? ""]
                    fields += [(state?.outstandingPrincipal ?? .zero).yuanString, (state?.interestReceivable ?? .zero).yuanString]
                    fields += [(state?.penaltyReceivable ?? .zero).yuanString, (state?.overpayment ?? .zero).yuanString]
                    fields += [String(state?.daysPastDue ?? 0), state?.bucket ?? ""]
                    try add(fields)
                } else {
                    for item in state?.installments ?? [] {
                        try add([loan.loanID, String(item.number), item.dueDate.description, item.principalDue.yuanString,
                                 item.interestDue.yuanString, item.principalPaid.yuanString, item.interestPaid.yuanString,
                                 item.penaltyAccrued.yuanString, item.penaltyPaid.yuanString])
                    }
                }
            }
        case .repayments:
            for payment in try store.readCollections({ try $0.allPayments() }) {
                try add([payment.loanId, payment.paidOn.description, payment.amount.yuanString])
            }
        case .journal:
            _ = try store.forEachJournalRow { row in
                let entry = row.entry
                for posting in entry.postings {
                    try add([String(row.sequence), entry.id, entry.date.description, entry.kind.rawValue, entry.loanID ?? "",
                             posting.account.description, posting.side.rawValue, posting.amount.yuanString, entry.reverses ?? "", entry.memo,
                             row.hash.description])
                }
            }
        case .actions:
            for action in try store.readCollections({ try $0.allActions() }) { try add(action.csvFields) }
        case .outcomes:
            for outcome in try store.readCollections({ try $0.allOutcomes() }) {
                try add([outcome.loanId, outcome.action.rawValue, outcome.happenedAt.description, outcome.result.rawValue,
                         outcome.promiseDate?.description ?? "", outcome.promiseAmount?.yuanString ?? ""])
            }
        case .decisions:
            var after: Int64 = 0
            var sealed: [String: [UInt8]] = [:]
            while true {
                let page = try store.decisions(after: after, limit: 10_000)
                guard let last = page.last else { break }
                after = last.decision.sequence
                for item in page {
                    let decision = item.decision
                    if let first = item.firstOf, personalData { sealed[first.applicationID] = first.personalData }
                    let score: String = decision.score.map { value in ByteSink.text { $0.writeScore(value) } } ?? ""
                    let probability: String = decision.probability.map { value in ByteSink.text { $0.writeProbability(value) } } ?? ""
                    let fraud: String = decision.fraudScore.map { value in ByteSink.text { $0.writeProbability(value) } } ?? ""
                    var fields: [String] = [String(decision.sequence), decision.applicationID, decision.kind.rawValue, decision.decidedAt.description,
                                            decision.outcome.rawValue, decision.approvedLimit.yuanString, decision.proposedLimit.yuanString,
                                            decision.apr.decimalString, score, probability, fraud]
                    fields += [decision.reasons.map(\.code).joined(separator: ";"), decision.decidedBy, decision.modelVersion,
                               decision.policyVersion, decision.hash]
                    if personalData {
                        let personal = try sealed[decision.applicationID].map { PersonalFields(opened: try protector.open($0)) }
                        fields += [personal?.name ?? "", personal?.idNumber ?? "", personal?.phone ?? ""]
                    }
                    try add(fields)
                }
            }
        }
        if buffer.count > 0 { try sink(buffer.bytes) }
    }
}
