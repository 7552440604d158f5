import LendingDecisioning
import LendingDisbursement
import LendingFraud
import LendingLedger
import LendingLoanBook
import LendingModel
import LendingServicing
import LendingStorePorts

/// A loan book for tests, built through the store ports, so the same fixture runs on any
/// adapter: applications decided as `lending apply` stores them, agreements signed, loans paid
/// out through a rail.
public enum LoanBookFixtures {
    /// The personal-data key of the fixtures' applications.
    public static let protector = PersonalDataProtector(secret: Array(repeating: 9, count: 32))
    /// UTC+08:00, in seconds.
    public static let chinaOffset: Int64 = 8 * 3_600

    /// An application decided as `lending apply` would store it.
    public struct Application: Sendable {
        public var id: String
        public var product = "installment"
        public var limit = Money(yuan: "10000")!
        public var apr = AnnualRate(decimal: "0.1825")!
        public var months = 3
        public var decidedAt = Instant(iso: "2026-01-15T10:00:00+08:00")!
        public var outcome = DecisionRecord.Outcome.approve
        public var card = "6222020000000000001"

        public init(id: String, product: String = "installment", limit: Money = Money(yuan: "10000")!, apr: AnnualRate = AnnualRate(decimal: "0.1825")!,
                    months: Int = 3, decidedAt: Instant = Instant(iso: "2026-01-15T10:00:00+08:00")!,
                    outcome: DecisionRecord.Outcome = .approve, card: String = "6222020000000000001") {
            self.id = id
            self.product = product
            self.limit = limit
            self.apr = apr
            self.months = months
            self.decidedAt = decidedAt
            self.outcome = outcome
            self.card = card
        }
    }

    /// The applicant's personal data, sealed as the application path seals it.
    public static func personalData(_ spec: Application) -> [UInt8] {
        protector.seal(Array(["王五 \(spec.id)", "11010519491231002X", "13800000000", spec.card, "北京市", "测试公司", ""]
            .joined(separator: "\u{1F}").utf8))
    }

    /// Stores applications with chained decisions.
    public static func storeApplications(_ store: any DecisionStore, _ specs: [Application]) throws {
        try store.withTransaction { transaction in
            var previous = try transaction.chainHead()
            for spec in specs {
                let record = DecisionChain.seal(
                    DecisionRecord(applicationID: spec.id, decidedAt: spec.decidedAt, outcome: spec.outcome,
                                   approvedLimit: spec.outcome == .approve ? spec.limit : .zero, apr: spec.outcome == .approve ? spec.apr : .zero,
                                   score: 500, reasons: [], inputsHash: String(repeating: "ab", count: 32), modelVersion: "m@1", policyVersion: "p@1"),
                    after: previous)
                let application = StoredApplication(
                    applicationID: spec.id, appliedAt: spec.decidedAt, product: spec.product, channel: "app", merchantID: nil,
                    requestedAmount: spec.limit, amountCap: Money(yuan: "50000")!, termMonths: spec.months, personKey: String(repeating: "0a", count: 32),
                    keys: FraudKeys(person: 1, phone: nil, bankCard: nil, device: nil, ip: nil, contactPhone: nil, address: nil),
                    personalData: personalData(spec), inputsHash: String(repeating: "ab", count: 32), decisionSequence: record.sequence)
                try transaction.insert(application, decision: record)
                previous = record
            }
        }
    }

    public static func signer(_ products: ProductCatalog = .standard) -> AgreementJob {
        AgreementJob(products: products, protector: protector, utcOffsetSeconds: chinaOffset)
    }

    /// `store` with `count` installment loans L0.. approved, signed and (unless `pay` is false)
    /// paid out on 2026-01-15 through `rail`.
    @discardableResult
    public static func book<Store: DecisionStore & ServicingStore>(_ count: Int, in store: Store, rail: any PaymentRail, months: Int = 3,
                                                                   pay: Bool = true) throws -> Store {
        try storeApplications(store, (0..<count).map { Application(id: "L\($0)", months: months) })
        _ = try signer().run(.allApproved, store: store)
        if pay { _ = try disburse(store, rail, on: "2026-01-15") }
        return store
    }

    @discardableResult
    public static func disburse(_ store: any ServicingStore, _ rail: any PaymentRail, on day: String, batchSize: Int = 500) throws -> DisburseJob.Summary {
        try DisburseJob(asOf: CalendarDay(iso: day)!, products: .standard, protector: protector, batchSize: batchSize).run(store: store, rail: rail)
    }

    @discardableResult
    public static func endOfDay(_ store: any ServicingStore, _ day: String, threads: Int = 2, batchSize: Int = 10_000) throws -> EndOfDayJob.Summary {
        try EndOfDayJob(asOf: CalendarDay(iso: day)!, products: .standard, batchSize: batchSize, threads: threads).run(store: store)
    }

    public static func loan(_ store: any ServicingStore, _ id: String) throws -> StoredLoan? {
        try store.readServicing { try $0.loans([id])[id] }
    }

    /// Every journal row, in sequence order.
    public static func journal(_ store: any ServicingStore) throws -> [SealedEntry] {
        var rows: [SealedEntry] = []
        _ = try store.forEachJournalRow { rows.append($0) }
        return rows
    }
}
